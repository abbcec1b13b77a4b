// HTTP(S) GET for health probes, through libcurl: one request, certificates checked.
//
// http:// and https:// URLs. HTTPS always verifies the server's certificate and host name
// against the system's CA store, or against `ca_file` (a PEM bundle, e.g. a self-signed
// test CA) when given; there is no way to turn verification off. Redirects are not followed:
// a probe sees the 3xx status the server answered. The whole exchange (resolve, connect, TLS,
// send, read) shares one deadline; the body is kept up to 1 MiB (more is cut, the answer still
// counts); chunked transfer coding is decoded. `unix_socket` sends the request through a Unix
// socket instead (an ssh forward), the URL unchanged.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace goap::plugin {

struct Url {
  std::string scheme = "http";  // http | https
  std::string host;
  int port = 80;
  std::string path = "/";
};

// http[s]://host[:port][/path]; nullopt (with *error) for anything else, including any URL
// holding a space or control character (it would split the request line or add headers).
std::optional<Url> parse_url(const std::string& text, std::string* error);

struct HttpResponse {
  bool ok = false;        // a complete HTTP response arrived (whatever its status)
  int status = 0;
  std::string body;
  std::string error;      // transport error when !ok: "connection refused", "timed out", a certificate problem...
  // !ok because the TLS handshake or the certificate check failed: something answered, but
  // nothing it says can be trusted. A sensor reports this as a failure (its fact is unknown),
  // not as "down".
  bool tls_error = false;
};

struct HttpOptions {
  std::string ca_file;    // PEM file of the CAs to trust for https (empty: the system's store)
  // Connect to this Unix socket instead of the URL's host:port (e.g. an ssh forward, see
  // argv_guard.h ssh_forward_argv). The URL still gives the Host header and, for https, the
  // name the certificate must match. Empty: connect to the URL's host:port.
  std::string unix_socket = {};  // (an initializer: HttpOptions{ca_file} stays warning-free)
};

HttpResponse http_get(const std::string& url, std::chrono::milliseconds timeout, const HttpOptions& options = {});

}  // namespace goap::plugin
