# The bootstrap interface every IPC-capable process serves; all other objects are reached from it.
# Ordinals are never reused: add new `make*` methods at the end.
@0xafc6d8b8baa2d691;

using Echo = import "echo.capnp";

interface Init {
  # Returns a new Echo object, used to check that the connection works.
  makeEcho @0 () -> (result :Echo.Echo);
}
