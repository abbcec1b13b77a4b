// A minimal HTTP/1.1 GET for health probes: one request per connection, plain TCP, no TLS, no
// redirects. Enough to ask Ollama's /api/tags or a host's /health; anything fancier belongs in
// a `command` action running curl.
//
// The whole exchange (resolve, connect, send, read) shares one deadline. The body is kept up
// to 1 MiB; chunked transfer coding is decoded.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace goap::plugin {

struct Url {
  std::string host;
  int port = 80;
  std::string path = "/";
};

// http://host[:port][/path]; nullopt (with *error) for anything else, including https and any
// URL holding a space or control character (it would split the request line or add headers).
std::optional<Url> parse_url(const std::string& text, std::string* error);

struct HttpResponse {
  bool ok = false;        // a complete HTTP response arrived (whatever its status)
  int status = 0;
  std::string body;
  std::string error;      // transport error when !ok: "connection refused", "timed out", ...
};

HttpResponse http_get(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace goap::plugin
