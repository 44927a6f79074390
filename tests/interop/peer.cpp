// A C++ Cap'n Proto peer for interop tests of our TypeScript RPC runtime.
//
//   peer server <unix-socket-path>   serve interop.capnp's Peer; prints "listening" when ready
//   peer client <unix-socket-path>   call a Peer served there; prints "ok <step>" per step and
//                                    "ALL OK" at the end, or "FAIL <step>: <why>" and exits 1
//
// Built by tests/interop/interop_test.ts with g++ against Debian's libcapnp-dev.

#include "interop.capnp.h"

#include <capnp/ez-rpc.h>
#include <kj/async-io.h>
#include <kj/async.h>
#include <kj/timer.h>
#include <kj/debug.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

class CounterImpl final : public Counter::Server {
 public:
  explicit CounterImpl(int32_t start) : value(start) {}

  kj::Promise<void> next(NextContext context) override {
    context.getResults().setValue(++value);
    return kj::READY_NOW;
  }

 private:
  int32_t value;
};

class PeerImpl final : public Peer::Server {
 public:
  kj::Promise<void> echo(EchoContext context) override {
    context.getResults().setResult(context.getParams().getText());
    return kj::READY_NOW;
  }

  kj::Promise<void> fail(FailContext context) override {
    kj::throwFatalException(kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__,
                                          kj::heapString(context.getParams().getMessage())));
  }

  kj::Promise<void> makeCounter(MakeCounterContext context) override {
    context.getResults().setCounter(kj::heap<CounterImpl>(context.getParams().getStart()));
    return kj::READY_NOW;
  }

  kj::Promise<void> callBack(CallBackContext context) override {
    auto request = context.getParams().getCallback().callRequest();
    request.setText(context.getParams().getText());
    return request.send().then([context](auto response) mutable {
      context.getResults().setResult(kj::str("c++ got: ", response.getResult()));
    });
  }

  kj::Promise<void> wait(WaitContext context) override {
    // Never fulfilled: the promise only goes away when the caller cancels (Finish), which this
    // capnp version honours only for calls that allow it.
#if CAPNP_VERSION_MAJOR == 0
    context.allowCancellation();
#endif
    auto paf = kj::newPromiseAndFulfiller<void>();
    return paf.promise.attach(kj::mv(paf.fulfiller), kj::defer([this]() { ++canceled; }));
  }

  kj::Promise<void> canceledCount(CanceledCountContext context) override {
    context.getResults().setCount(canceled);
    return kj::READY_NOW;
  }

  kj::Promise<void> identity(IdentityContext context) override {
    context.getResults().setCounter(context.getParams().getCounter());
    return kj::READY_NOW;
  }

  kj::Promise<void> promiseCounter(PromiseCounterContext context) override {
    int32_t start = context.getParams().getStart();
    // A capability that is still a promise when the results go out: sent as senderPromise,
    // followed by a Resolve when the timer fires.
    Counter::Client later = timer->afterDelay(30 * kj::MILLISECONDS).then([start]() -> Counter::Client {
      return kj::heap<CounterImpl>(start);
    });
    context.getResults().setCounter(kj::mv(later));
    return kj::READY_NOW;
  }

  kj::Promise<void> promiseIdentity(PromiseIdentityContext context) override {
    Counter::Client given = context.getParams().getCounter();
    Counter::Client later = timer->afterDelay(30 * kj::MILLISECONDS).then([given]() mutable -> Counter::Client {
      return kj::mv(given);
    });
    context.getResults().setCounter(kj::mv(later));
    return kj::READY_NOW;
  }

 public:
  kj::Timer* timer = nullptr;

 private:
  uint32_t canceled = 0;
};

class CallbackImpl final : public Callback::Server {
 public:
  kj::Promise<void> call(CallContext context) override {
    context.getResults().setResult(kj::str("callback in c++: ", context.getParams().getText()));
    return kj::READY_NOW;
  }
};

[[noreturn]] void fail(const char* step, kj::StringPtr why) {
  std::printf("FAIL %s: %s\n", step, why.cStr());
  std::fflush(stdout);
  std::exit(1);
}

void ok(const char* step) {
  std::printf("ok %s\n", step);
  std::fflush(stdout);
}

void expect(const char* step, bool condition, kj::StringPtr why) {
  if (!condition) fail(step, why);
  ok(step);
}

int runServer(const char* path) {
  auto impl = kj::heap<PeerImpl>();
  PeerImpl* peer = impl.get();
  capnp::EzRpcServer server(kj::mv(impl), kj::str("unix:", path));
  peer->timer = &server.getIoProvider().getTimer();
  auto& waitScope = server.getWaitScope();
  server.getPort().wait(waitScope);
  std::printf("listening\n");
  std::fflush(stdout);
  kj::NEVER_DONE.wait(waitScope);
}

int runClient(const char* path) {
  capnp::EzRpcClient client(kj::str("unix:", path));
  auto& ws = client.getWaitScope();
  Peer::Client peer = client.getMain<Peer>();

  {
    auto req = peer.echoRequest();
    req.setText("hello from c++");
    auto text = kj::str(req.send().wait(ws).getResult());
    expect("echo", text == "hello from c++", text);
  }
  {
    auto req = peer.failRequest();
    req.setMessage("no such wallet: w1");
    KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() { req.send().wait(ws); })) {
      expect("error", strstr(e->getDescription().cStr(), "no such wallet: w1") != nullptr,
             e->getDescription());
    } else {
      fail("error", "call did not fail");
    }
  }
  {
    // Pipelining: call the counter before makeCounter has returned.
    auto req = peer.makeCounterRequest();
    req.setStart(41);
    auto promise = req.send();
    Counter::Client counter = promise.getCounter();
    auto first = counter.nextRequest().send();
    auto second = counter.nextRequest().send();
    int32_t a = first.wait(ws).getValue();
    int32_t b = second.wait(ws).getValue();
    expect("pipelining", a == 42 && b == 43, kj::str(a, " ", b));
  }
  {
    auto req = peer.callBackRequest();
    req.setCallback(kj::heap<CallbackImpl>());
    req.setText("ping");
    auto text = kj::str(req.send().wait(ws).getResult());
    expect("callback", text == "ts got: callback in c++: ping", text);
  }
  {
    Counter::Client mine = kj::heap<CounterImpl>(100);
    auto req = peer.identityRequest();
    req.setCounter(mine);
    auto promise = req.send();
    // Pipelined on a result that resolves to our own object: exercises Disembargo.
    auto early = promise.getCounter().nextRequest().send();
    auto response = promise.wait(ws);
    int32_t a = early.wait(ws).getValue();
    int32_t b = response.getCounter().nextRequest().send().wait(ws).getValue();
    expect("capability round trip", a == 101 && b == 102, kj::str(a, " ", b));
  }
  {
    auto pending = peer.waitRequest().send();
    // Let the call reach the server, then cancel it by dropping the promise (sends Finish).
    peer.echoRequest().send().wait(ws);
    { auto drop = kj::mv(pending); }
    uint32_t count = peer.canceledCountRequest().send().wait(ws).getCount();
    expect("cancellation", count == 1, kj::str(count));
  }
  std::printf("ALL OK\n");
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s server|client <unix-socket-path>\n", argv[0]);
    return 2;
  }
  if (std::strcmp(argv[1], "server") == 0) return runServer(argv[2]);
  if (std::strcmp(argv[1], "client") == 0) return runClient(argv[2]);
  std::fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 2;
}
