#include "plugin_api/http.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "plugin_api/plugin.h"

namespace goap::plugin {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxResponse = (1u << 20) + 64 * 1024;

int ms_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

bool decode_chunked(const std::string& in, std::string& out) {
  std::size_t pos = 0;
  for (;;) {
    const std::size_t eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return false;
    const std::string size_text = in.substr(pos, eol - pos);
    char* end = nullptr;
    const unsigned long n = std::strtoul(size_text.c_str(), &end, 16);
    if (end == size_text.c_str()) return false;
    pos = eol + 2;
    if (n == 0) return true;
    if (pos + n > in.size()) return false;
    out.append(in, pos, n);
    pos += n + 2;
  }
}

}  // namespace

std::optional<Url> parse_url(const std::string& text, std::string* error) {
  const std::string scheme = "http://";
  if (text.rfind(scheme, 0) != 0) {
    if (error) *error = text.rfind("https://", 0) == 0 ? "https is not supported (use a command with curl)" : "a URL starts with http://";
    return std::nullopt;
  }
  // The path and host go into the request line and the Host header verbatim: a space, CR or
  // LF would let a value add headers or a second request.
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      if (error) *error = "the URL holds a space or a control character";
      return std::nullopt;
    }
  Url u;
  const std::string rest = text.substr(scheme.size());
  const std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty()) {
    if (error) *error = "the URL has no host";
    return std::nullopt;
  }
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    auto port = parse_int(authority.substr(colon + 1));
    if (!port || *port <= 0 || *port > 65535) {
      if (error) *error = "bad port in '" + text + "'";
      return std::nullopt;
    }
    u.port = static_cast<int>(*port);
    authority = authority.substr(0, colon);
  }
  u.host = authority;
  return u;
}

HttpResponse http_get(const std::string& url_text, std::chrono::milliseconds timeout) {
  HttpResponse r;
  const auto deadline = Clock::now() + timeout;
  auto url = parse_url(url_text, &r.error);
  if (!url) return r;

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(url->port);
  if (const int rc = getaddrinfo(url->host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    r.error = "cannot resolve '" + url->host + "': " + gai_strerror(rc);
    return r;
  }
  int fd = -1;
  std::string last_error = "no address";
  for (addrinfo* a = res; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        last_error = std::strerror(errno);
        close(fd);
        fd = -1;
        continue;
      }
      pollfd p{fd, POLLOUT, 0};
      int soerr = 0;
      socklen_t len = sizeof soerr;
      if (poll(&p, 1, ms_left(deadline)) <= 0) {
        last_error = "timed out connecting";
        close(fd);
        fd = -1;
        continue;
      }
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
      if (soerr != 0) {
        last_error = std::strerror(soerr);
        close(fd);
        fd = -1;
      }
    }
  }
  freeaddrinfo(res);
  if (fd < 0) {
    r.error = "cannot connect to " + url->host + ":" + port + ": " + lower(last_error);
    return r;
  }

  const std::string request = "GET " + url->path + " HTTP/1.1\r\nHost: " + url->host + ":" + port +
                              "\r\nUser-Agent: goap-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, ms_left(deadline)) <= 0) {
      r.error = "timed out sending the request";
      close(fd);
      return r;
    }
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      r.error = std::string("send: ") + std::strerror(errno);
      close(fd);
      return r;
    }
    if (n > 0) sent += static_cast<std::size_t>(n);
  }

  std::string raw;
  std::size_t header_end = std::string::npos;
  long long content_length = -1;
  bool chunked = false;
  for (;;) {
    if (header_end != std::string::npos && content_length >= 0 &&
        raw.size() >= header_end + static_cast<std::size_t>(content_length))
      break;
    // Chunked bodies are read to the end of the connection (we asked for Connection: close).
    pollfd p{fd, POLLIN, 0};
    const int left = ms_left(deadline);
    if (left == 0 || poll(&p, 1, left) <= 0) {
      r.error = "timed out waiting for the response";
      close(fd);
      return r;
    }
    char buf[8192];
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      r.error = std::string("recv: ") + std::strerror(errno);
      close(fd);
      return r;
    }
    if (n == 0) break;
    raw.append(buf, static_cast<std::size_t>(n));
    if (raw.size() > kMaxResponse) break;
    if (header_end == std::string::npos) {
      const std::size_t he = raw.find("\r\n\r\n");
      if (he != std::string::npos) {
        header_end = he + 4;
        const std::string headers = lower(raw.substr(0, he));
        if (auto cl = headers.find("\r\ncontent-length:"); cl != std::string::npos)
          content_length = std::atoll(headers.c_str() + cl + 17);
        chunked = headers.find("\r\ntransfer-encoding: chunked") != std::string::npos;
      }
    }
  }
  close(fd);
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) {
    r.error = raw.empty() ? "the server closed the connection without answering" : "not an HTTP response";
    return r;
  }
  r.status = std::atoi(raw.c_str() + 9);
  if (header_end == std::string::npos) header_end = raw.size();
  const std::string body = raw.substr(header_end);
  if (chunked) {
    if (!decode_chunked(body, r.body)) r.body = body;
  } else {
    r.body = content_length >= 0 ? body.substr(0, static_cast<std::size_t>(content_length)) : body;
  }
  if (r.body.size() > (1u << 20)) r.body.resize(1u << 20);
  r.ok = true;
  return r;
}

}  // namespace goap::plugin
