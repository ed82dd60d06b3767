# Sourced by ./rampart and by the container image's entrypoint (POSIX sh): turns RAMPART_MEMORY,
# the memory the service may use (2g, 1536m), into JVM options that keep its resident memory
# within it. The shares come from measurement (docs/benchmarks.md, "Resident memory"): the heap
# takes most of it; the JVM's other areas, each bounded here, and what is not bounded (GC
# structures, thread stacks, the JIT's and the C library's allocations) take the rest.

# Prints the JVM options for the value $1 on stdout: nothing when $1 is empty (the JVM's own
# defaults). A malformed or out-of-range value is one line on stderr naming the setting, and
# status 2, as the service reports a bad setting.
rampart_memory_options() {
  local value="$1" number unit megabytes heap direct code metaspace
  [ -n "$value" ] || return 0
  number="${value%[mMgG]}"
  unit="${value#"$number"}"
  case "$number" in
    '' | *[!0-9]* | ????????*) unit="" ;;
  esac
  # Leading zeros away, or the shell's arithmetic would read the number as octal.
  while [ "${number#0}" != "$number" ] && [ "${#number}" -gt 1 ]; do number="${number#0}"; done
  case "$unit" in
    m | M) megabytes=$((number)) ;;
    g | G) megabytes=$((number * 1024)) ;;
    *)
      echo "rampart: configuration error: RAMPART_MEMORY: '$value' is not a memory size (megabytes or gigabytes: 1536m, 2g)" >&2
      return 2 ;;
  esac
  if [ "$megabytes" -lt 512 ] || [ "$megabytes" -gt 1048576 ]; then
    echo "rampart: configuration error: RAMPART_MEMORY: '$value' is out of range (512m to 1024g)" >&2
    return 2
  fi
  # Measured with a 1.2 M-route table and 800 k VRPs: the heap committed plus about 190 MB
  # (class metadata 40 MB, compiled code 21 MB, GC structures 5 % of the heap, JIT, threads).
  # Heap: 60 %. Netty's direct buffers (BMP, RTR, BGP, HTTP): 6 %, at least 32 MB. Compiled
  # code: 1/16, 48 to 240 MB (240 MB is the JVM's own default). Class metadata: 1/8, 80 to
  # 256 MB. Every bound together is at most 92 % of the setting (85 % from 768m up).
  heap=$((megabytes * 60 / 100))
  direct=$((megabytes * 6 / 100))
  [ "$direct" -ge 32 ] || direct=32
  code=$((megabytes / 16))
  [ "$code" -ge 48 ] || code=48
  [ "$code" -le 240 ] || code=240
  metaspace=$((megabytes / 8))
  [ "$metaspace" -ge 80 ] || metaspace=80
  [ "$metaspace" -le 256 ] || metaspace=256
  echo "-Xmx${heap}m -XX:MaxDirectMemorySize=${direct}m -XX:ReservedCodeCacheSize=${code}m -XX:MaxMetaspaceSize=${metaspace}m"
}

# For the service's start: sets rampart_jvm_memory to the options for $RAMPART_MEMORY (from the
# environment); status 2, after the one-line message, on a malformed value.
rampart_memory_setup() {
  rampart_jvm_memory="$(rampart_memory_options "${RAMPART_MEMORY:-}")" || return 2
}
