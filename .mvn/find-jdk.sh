# Sourced by ./mvnw and ./rampart: sets RAMPART_JAVA_HOME to a JDK 21 or newer.
# Order: $JAVA_HOME if new enough, the java on PATH, then the newest JDK under the
# system's JVM directory, /usr/lib/jvm or $RAMPART_JVM_DIR (on Debian the default java may be 17
# with a newer JDK beside it).

rampart_java_major() {
  # Prints the major version of the java binary $1, or nothing if it does not run.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' \
    | sed 's/^1\.//; s/\..*//'
}

rampart_find_jdk() {
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" "${RAMPART_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(rampart_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ]; then
      # A JAVA_HOME the user chose wins when it is new enough.
      if [ "$candidate" = "${JAVA_HOME:-}" ]; then best="$candidate"; break; fi
      if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
    fi
  done
  if [ -z "$best" ]; then
    echo "rampart: no JDK 21 or newer found (looked at JAVA_HOME, PATH and ${RAMPART_JVM_DIR:-/usr/lib/jvm}); install one, e.g. Temurin 21+" >&2
    return 1
  fi
  RAMPART_JAVA_HOME="$best"
}
