#include "plugin_api/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

#include "plugin_api/plugin.h"

namespace goap::plugin {
namespace {

constexpr std::size_t kMaxBody = 1u << 20;

struct Sink {
  std::string body;
  bool cut = false;  // the body passed kMaxBody: the rest was not read
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  const std::size_t len = size * n;
  const std::size_t room = kMaxBody - s->body.size();
  s->body.append(data, std::min(len, room));
  if (len > room) {
    s->cut = true;
    return 0;  // stop reading: libcurl reports a write error, which here means "enough"
  }
  return len;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

// libcurl's words, in the terms a probe's log wants.
std::string why(CURLcode rc, const char* detail, long os_errno, const Url& u, std::chrono::milliseconds timeout,
                const std::string& unix_socket) {
  const std::string d = detail && *detail ? detail : curl_easy_strerror(rc);
  const std::string where =
      u.host + ":" + std::to_string(u.port) + (unix_socket.empty() ? "" : " through the Unix socket " + unix_socket);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: return "cannot resolve '" + u.host + "': " + d;
    case CURLE_COULDNT_CONNECT:
      return "cannot connect to " + where + ": " + (os_errno != 0 ? lower(std::strerror(static_cast<int>(os_errno))) : d);
    case CURLE_OPERATION_TIMEDOUT: return "timed out after " + std::to_string(timeout.count()) + " ms (" + where + ")";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return "certificate check failed for " + where + ": " + d + " (to trust a private CA, give its PEM file as ca_file)";
    case CURLE_SSL_CONNECT_ERROR: return "TLS handshake with " + where + " failed: " + d;
    case CURLE_GOT_NOTHING: return "the server closed the connection without answering";
    default: return d;
  }
}

}  // namespace

std::optional<Url> parse_url(const std::string& text, std::string* error) {
  const bool tls = text.rfind("https://", 0) == 0;
  const std::string scheme = tls ? "https://" : "http://";
  if (text.rfind(scheme, 0) != 0) {
    if (error) *error = "a URL starts with http:// or https://";
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
  if (tls) {
    u.scheme = "https";
    u.port = 443;
  }
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

HttpResponse http_get(const std::string& url_text, std::chrono::milliseconds timeout, const HttpOptions& options) {
  HttpResponse r;
  auto url = parse_url(url_text, &r.error);
  if (!url) return r;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    r.error = "cannot start libcurl";
    return r;
  }
  Sink sink;
  char detail[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url_text.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, timeout.count())));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "goap-probe");
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, nullptr);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.unix_socket.empty()) curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, options.unix_socket.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0, os_errno = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && sink.cut)) {
    r.ok = true;
    r.status = static_cast<int>(status);
    r.body = std::move(sink.body);
    return r;
  }
  r.error = why(rc, detail, os_errno, *url, timeout, options.unix_socket);
  r.tls_error = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM ||
                rc == CURLE_SSL_CONNECT_ERROR;
  return r;
}

}  // namespace goap::plugin
