// The plugin support library: values, commands with timeouts, HTTP probes (all on 127.0.0.1).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "plugin_api/http.h"
#include "plugin_api/plugin.h"
#include "plugin_api/process.h"

using namespace goap::plugin;
using namespace std::chrono_literals;

TEST_CASE("durations read the way operators write them") {
  CHECK(parse_duration("30s") == 30'000ms);
  CHECK(parse_duration("500ms") == 500ms);
  CHECK(parse_duration("2m") == 120'000ms);
  CHECK(parse_duration("1h") == 3'600'000ms);
  CHECK(parse_duration("1d") == 86'400'000ms);
  CHECK(parse_duration("1.5s") == 1'500ms);
  CHECK(parse_duration("45") == 45'000ms);
  CHECK_FALSE(parse_duration("soon"));
  CHECK_FALSE(parse_duration("-3s"));
  CHECK_FALSE(parse_duration("3 parsecs"));
  CHECK(parse_int("-2") == -2);
  CHECK_FALSE(parse_int("2x"));
}

TEST_CASE("a command's exit status and output are captured, without a shell") {
  ProcessOptions o;
  o.timeout = 5s;
  auto r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, o);
  CHECK(r.started);
  CHECK(r.exit_code == 3);
  CHECK(r.output == "out\nerr\n");
  CHECK(r.summary() == "exit 3");
  // An argv element is one argument, whatever it contains: no word splitting, no globbing.
  r = run_process({"printf", "%s|", "a b", "*", "$(id)"}, o);
  CHECK(r.output == "a b|*|$(id)|");
}

TEST_CASE("an environment entry given to the command replaces the inherited one of its name") {
  setenv("GOAP_TEST_SECRET", "inherited", 1);
  ProcessOptions o;
  o.timeout = 5s;
  o.env = {"GOAP_TEST_SECRET=given"};
  const auto r = run_process({"sh", "-c", "env | grep '^GOAP_TEST_SECRET='"}, o);
  unsetenv("GOAP_TEST_SECRET");
  CHECK(r.output == "GOAP_TEST_SECRET=given\n");  // once: no second, inherited entry
}

TEST_CASE("a chatty command's output keeps its last bytes and says how much was dropped") {
  ProcessOptions o;
  o.max_output = 1024;
  auto r = run_process({"sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; echo; echo why it failed; exit 1"}, o);
  CHECK(r.exit_code == 1);
  CHECK(r.dropped == 300000 + 1 + 14 - 1024);
  CHECK(r.output.rfind("[... " + std::to_string(r.dropped) + " bytes dropped]\n", 0) == 0);
  CHECK(r.output.size() < 1100);
  CHECK(r.failure() == "exit 1: why it failed");
}

TEST_CASE("a missing program is reported, not run through a shell") {
  auto r = run_process({"/nonexistent/goap-no-such-tool"}, {});
  CHECK_FALSE(r.started);
  CHECK(r.summary().find("No such file") != std::string::npos);
}

TEST_CASE("a timeout kills the whole process group, helpers included") {
  char tmpl[] = "/tmp/goap-proc-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string pidfile = std::string(tmpl) + "/pid";
  ProcessOptions o;
  o.timeout = 300ms;
  o.kill_grace = 200ms;
  auto r = run_process({"sh", "-c", "sleep 30 & echo $! > " + pidfile + "; wait"}, o);
  CHECK(r.timed_out);
  CHECK(r.ms < 3000);
  std::ifstream in(pidfile);
  int helper = 0;
  in >> helper;
  REQUIRE(helper > 0);
  // The helper was in the command's group: it must be gone (or a zombie about to be reaped by init).
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(helper) + "/stat");
    std::string pid, comm, state;
    gone = !(stat >> pid >> comm >> state) || state == "Z";
    if (!gone) usleep(10'000);
  }
  CHECK(gone);
  std::system(("rm -rf " + std::string(tmpl)).c_str());
}

TEST_CASE("quote_argv shows an argv the way a shell would need it") {
  CHECK(quote_argv({"ssh", "root@10.0.0.1", "systemctl", "restart", "a b", "it's"}) ==
        "ssh root@10.0.0.1 systemctl restart 'a b' 'it'\\''s'");
}

namespace {

// One-shot HTTP server on 127.0.0.1: answers each connection with `reply`.
struct TinyServer {
  int fd = -1;
  int port = 0;
  std::thread th;
  std::atomic<bool> stop{false};
  explicit TinyServer(std::string reply, int connections = 1) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    listen(fd, 4);
    th = std::thread([this, reply, connections] {
      for (int i = 0; i < connections; ++i) {
        const int c = accept(fd, nullptr, nullptr);
        if (c < 0) return;
        char buf[2048];
        std::string req;
        while (req.find("\r\n\r\n") == std::string::npos) {
          const ssize_t n = recv(c, buf, sizeof buf, 0);
          if (n <= 0) break;
          req.append(buf, static_cast<std::size_t>(n));
        }
        if (!reply.empty()) (void)!send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
        else usleep(800'000);  // an empty reply: hang past the client's timeout
        close(c);
      }
    });
  }
  ~TinyServer() {
    shutdown(fd, SHUT_RDWR);
    close(fd);
    th.join();
  }
  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
};

}  // namespace

TEST_CASE("http_get reads status and body, with Content-Length or chunked") {
  {
    TinyServer s("HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"models\": []}");
    auto r = http_get(s.url("/api/tags"), 2s);
    CHECK(r.ok);
    CHECK(r.status == 200);
    CHECK(r.body == "{\"models\": []}");
  }
  {
    TinyServer s("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndown\r\n0\r\n\r\n");
    auto r = http_get(s.url("/health"), 2s);
    CHECK(r.ok);
    CHECK(r.status == 503);
    CHECK(r.body == "down");
  }
}

TEST_CASE("http_get reports refused connections and timeouts") {
  int port = 0;
  {
    TinyServer s("x", 0);  // bound then closed: nobody listens on that port afterwards
    port = s.port;
  }
  auto r = http_get("http://127.0.0.1:" + std::to_string(port) + "/", 1s);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("refused") != std::string::npos);

  TinyServer slow("");
  r = http_get(slow.url("/"), 200ms);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("timed out") != std::string::npos);

  std::string err;
  auto tls = parse_url("https://example.org/", &err);
  REQUIRE(tls);
  CHECK(tls->scheme == "https");
  CHECK(tls->port == 443);
  CHECK_FALSE(parse_url("ftp://example.org/", &err));
  CHECK(err.find("https://") != std::string::npos);
}

TEST_CASE("a URL cannot add headers or a second request to the GET") {
  std::string err;
  for (const char* bad : {"http://127.0.0.1/a\r\nX-Injected: 1", "http://127.0.0.1/a b", "http://h\nX: 1/",
                          "http://127.0.0.1/\tx"}) {
    err.clear();
    CHECK_FALSE_MESSAGE(parse_url(bad, &err), bad);
    CHECK(err.find("control character") != std::string::npos);
  }
  CHECK(parse_url("http://127.0.0.1:11434/api/tags?x=%20y", &err));
}

TEST_CASE("a background process runs until stopped, and stop() takes its whole group") {
  char tmpl[] = "/tmp/goap-bg-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string pidfile = std::string(tmpl) + "/pid";
  ProcessOptions o;
  o.kill_grace = 200ms;
  int helper = 0;
  {
    BackgroundProcess p({"sh", "-c", "echo up; sleep 30 & echo $! > " + pidfile + "; wait"}, o);
    REQUIRE(p.started());
    for (int i = 0; i < 300 && helper == 0; ++i) {
      std::ifstream in(pidfile);
      in >> helper;
      if (helper == 0) usleep(10'000);
    }
    REQUIRE(helper > 0);
    CHECK(p.running());
    const ProcessResult& r = p.stop();
    CHECK(r.signal == SIGTERM);
    CHECK(r.output == "up\n");
    CHECK_FALSE(p.running());
  }
  std::ifstream stat("/proc/" + std::to_string(helper) + "/stat");
  std::string pid, comm, state;
  CHECK((!(stat >> pid >> comm >> state) || state == "Z"));
  std::system(("rm -rf " + std::string(tmpl)).c_str());

  BackgroundProcess quick({"sh", "-c", "echo bye; exit 3"}, o);
  for (int i = 0; i < 300 && quick.running(); ++i) usleep(10'000);
  CHECK_FALSE(quick.running());
  CHECK(quick.stop().exit_code == 3);
  CHECK(quick.output() == "bye\n");
  BackgroundProcess missing({"/nonexistent/program"}, o);
  CHECK_FALSE(missing.started());
  CHECK(missing.error().find("No such file") != std::string::npos);
}

TEST_CASE("http_get through a Unix socket keeps the URL's host in the request") {
  char tmpl[] = "/tmp/goap-us-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string path = std::string(tmpl) + "/s";
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  listen(fd, 1);
  std::string request;
  std::thread th([&] {
    const int c = accept(fd, nullptr, nullptr);
    char buf[2048];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n <= 0) break;
      request.append(buf, static_cast<std::size_t>(n));
    }
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    (void)!send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
    close(c);
  });
  HttpOptions o;
  o.unix_socket = path;
  // Nothing listens on 127.0.0.1:9 (discard): the answer can only have come through the socket.
  auto r = http_get("http://127.0.0.1:9/api/tags", 2s, o);
  th.join();
  close(fd);
  CHECK(r.ok);
  CHECK(r.body == "ok");
  CHECK(request.rfind("GET /api/tags HTTP/1.1\r\n", 0) == 0);
  CHECK(request.find("Host: 127.0.0.1:9\r\n") != std::string::npos);
  o.unix_socket = path + ".missing";
  r = http_get("http://127.0.0.1:9/", 1s, o);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("through the Unix socket " + path + ".missing") != std::string::npos);
  std::system(("rm -rf " + std::string(tmpl)).c_str());
}
