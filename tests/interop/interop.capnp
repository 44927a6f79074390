# Test-only interfaces shared by our runtime's tests and the C++ peer (tests/interop/peer.cpp).
@0xc4d3a1f5e2b7a901;

interface Peer {
  # Returns its argument.
  echo @0 (text :Text) -> (result :Text);
  # Always fails with `message` as the exception reason.
  fail @1 (message :Text) -> ();
  # Returns a new counter starting after `start` (a capability in results).
  makeCounter @2 (start :Int32) -> (counter :Counter);
  # Calls `callback.call(text)` back in the caller and returns what it answered.
  callBack @3 (callback :Callback, text :Text) -> (result :Text);
  # Never returns on its own: it only ends when the caller cancels it.
  wait @4 () -> ();
  # How many `wait` calls the server saw canceled so far.
  canceledCount @5 () -> (count :UInt32);
  # Returns the capability it was given (a capability in params and results).
  identity @6 (counter :Counter) -> (counter :Counter);
  # Like makeCounter, but the result is a promise the server resolves later (Resolve message).
  promiseCounter @7 (start :Int32) -> (counter :Counter);
  # Like identity, but through a promise resolved later: it resolves to the caller's own object.
  promiseIdentity @8 (counter :Counter) -> (counter :Counter);
}

interface Counter {
  # Returns the next value.
  next @0 () -> (value :Int32);
}

interface Callback {
  call @0 (text :Text) -> (result :Text);
}
