#!/bin/sh
# The container image's entrypoint: the service with the memory bounds of RAMPART_MEMORY
# (deploy/jvm-memory.sh, shared with ./rampart) and then RAMPART_JAVA_OPTS, which wins over
# them for an option given in both.
here="$(dirname "$0")"
. "$here/jvm-memory.sh"
rampart_memory_setup || exit 2
# shellcheck disable=SC2086 # the options are words
exec java --enable-native-access=ALL-UNNAMED $rampart_jvm_memory ${RAMPART_JAVA_OPTS:-} -cp "$here/server/rampart-server.jar:$here/server/lib/*" \
  net.rampart.server.Main "$@"
