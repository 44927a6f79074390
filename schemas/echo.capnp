# The Echo interface: a round-trip check of the IPC connection (like the reference's echoipc).
@0x8642d536b76e99a5;

interface Echo {
  # Returns its argument unchanged.
  echo @0 (echo :Text) -> (result :Text);
}
