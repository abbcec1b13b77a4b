// A deliberately broken plugin, to prove that goap survives its plugins: every action kind fails
// in its own way. None of them touches anything outside the child goap runs it in.
//
//   segfault   writes through a null pointer
//   hang       loops forever, ignoring its timeout (goap must kill it)
//   throw      throws through the noexcept entry point (std::terminate, SIGABRT)
//   exit       calls exit(3) without answering
//   lie        answers GOAP_OK and does nothing: its effects never appear
//   flaky      fails until the file `counter` has `succeed_after` lines, adding one per call
//   chatty     logs `bytes` bytes in 1 MiB lines, then one 8 MiB line, then succeeds
//   linger     forks a copy that keeps the answer pipe open (its pid in `file`), succeeds at once
//   escape     starts a descendant in a session of its own (setsid; its pid in `file`), then hangs
// Sensors: segfault, hang and exit as above; garbage answers GOAP_OK with the value "maybe"
// (a value of no fact); sleep waits `bytes` milliseconds, then reads "true".
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "plugin_api/plugin.h"

namespace {

constexpr goap_param_info kParams[] = {
    {"timeout", "duration", "1s", "ignored by hang"},
    {"counter", "string", "", "flaky: a file that counts calls"},
    {"succeed_after", "int", "2", "flaky: the call that succeeds"},
    {"bytes", "int", "0", "chatty: how much to log"},
    {"file", "string", "", "linger, escape: where the descendant writes its pid"},
};
constexpr goap_action_info kActions[] = {
    {"segfault", "crash with SIGSEGV", kParams, std::size(kParams)},
    {"hang", "never return", kParams, std::size(kParams)},
    {"throw", "throw across the C boundary", kParams, std::size(kParams)},
    {"exit", "exit without answering", kParams, std::size(kParams)},
    {"lie", "claim success, do nothing", kParams, std::size(kParams)},
    {"flaky", "fail, then succeed", kParams, std::size(kParams)},
    {"chatty", "log a lot, then succeed", kParams, std::size(kParams)},
    {"linger", "leave a copy holding the answer pipe", kParams, std::size(kParams)},
    {"escape", "leave a setsid descendant, then hang", kParams, std::size(kParams)},
};
constexpr goap_sensor_info kSensors[] = {
    {"segfault", "crash while sensing", "bool", kParams, std::size(kParams)},
    {"hang", "never answer", "bool", kParams, std::size(kParams)},
    {"exit", "exit without answering", "bool", kParams, std::size(kParams)},
    {"garbage", "read a value that is no value", "bool", kParams, std::size(kParams)},
    {"sleep", "read true after `bytes` ms", "bool", kParams, std::size(kParams)},
};
constexpr goap_plugin_info kInfo = {GOAP_PLUGIN_API_VERSION, "faulty", "0.0.1", "Fails on purpose (tests only)",
                                    kActions, std::size(kActions), kSensors, std::size(kSensors)};

std::atomic<int>* volatile g_null = nullptr;

void set(goap_response* out, int status, const char* m) {
  out->status = status;
  goap::plugin::set_message(out, m);
}

}  // namespace

extern "C" GOAP_PLUGIN_EXPORT std::uint32_t goap_plugin_api_version() noexcept { return GOAP_PLUGIN_API_VERSION; }
extern "C" GOAP_PLUGIN_EXPORT const goap_plugin_info* goap_plugin_describe() noexcept { return &kInfo; }

// Not wrapped in goap::plugin::invoke_guarded on purpose.
static void do_throw() { throw std::runtime_error("faulty plugin throws"); }

extern "C" GOAP_PLUGIN_EXPORT std::int32_t goap_plugin_invoke(const goap_request* req, goap_response* out) noexcept {
  const goap::plugin::Call c(*req);
  const std::string kind(c.kind());
  if (c.describing()) {
    c.emit("command", "(faulty: " + kind + ")");
    set(out, GOAP_OK, "");
    return GOAP_OK;
  }
  if (c.op() == GOAP_OP_SENSE && (kind == "garbage" || kind == "sleep")) {
    if (kind == "sleep") usleep(static_cast<useconds_t>(std::atoll(c.str("bytes").c_str()) * 1000));
    c.emit("value", kind == "garbage" ? "maybe" : "true");
    set(out, GOAP_OK, "read");
    return GOAP_OK;
  }
  if (kind == "segfault") g_null->store(1);
  if (kind == "hang")
    for (;;) sleep(1000);
  if (kind == "throw") do_throw();
  if (kind == "exit") std::exit(3);
  if (kind == "chatty") {
    const long long total = std::atoll(c.str("bytes").c_str());
    const std::string line(1 << 20, 'x');
    for (long long sent = 0; sent < total; sent += static_cast<long long>(line.size())) c.log(GOAP_LOG_INFO, line);
    c.log(GOAP_LOG_INFO, std::string(8 << 20, 'y'));
  }
  if (kind == "linger" || kind == "escape") {
    const std::string file = c.str("file");
    const pid_t child = fork();
    if (child == 0) {
      if (kind == "escape") {
        setsid();
        if (fork() != 0) _exit(0);
      }
      std::ofstream(file) << getpid() << "\n";
      sleep(600);
      _exit(0);
    }
    if (kind == "escape") {
      for (int i = 0; i < 10000 && !std::ifstream(file); ++i) usleep(1000);
      for (;;) sleep(1000);
    }
  }
  if (kind == "flaky") {
    const std::string path = c.str("counter");
    int lines = 0;
    {
      std::ifstream in(path);
      for (std::string l; std::getline(in, l);) ++lines;
    }
    std::ofstream(path, std::ios::app) << "call\n";
    if (lines + 1 < std::atoi(c.str("succeed_after").c_str())) {
      set(out, GOAP_FAILED, "flaky: not yet");
      return GOAP_FAILED;
    }
  }
  set(out, GOAP_OK, kind == "lie" ? "all done (not really)" : "ok");
  return GOAP_OK;
}
