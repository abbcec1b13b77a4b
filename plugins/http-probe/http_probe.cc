// The generic `http-probe` plugin: GET a URL (HTTP or HTTPS, certificates checked) and compare the status and body.
// As a sensor: "true" when the answer matches, "false" when it does not or nothing answers.
// As an action: wait until it matches (polling every `interval`) or fail at the timeout; a
// step that waits for a service to come up after another action started it.
#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "plugin_api/http.h"
#include "plugin_api/plugin.h"

namespace {

using goap::plugin::Call;
using goap::plugin::Outcome;
using Clock = std::chrono::steady_clock;

constexpr goap_param_info kParams[] = {
    {"url", "url", nullptr, "http[s]://host[:port]/path"},
    {"ca_file", "string", "", "https: a PEM file of the CAs to trust (e.g. a private CA); empty: the system's store. Certificates are always checked"},
    {"expect_status", "int-list", "200", "statuses that count as healthy"},
    {"body_match", "string", "", "a regular expression the body must contain (ECMAScript); empty: any body"},
    {"timeout", "duration", "10s", "sensor: for the one request; action: for the whole wait"},
    {"interval", "duration", "500ms", "action: pause between attempts"},
};
constexpr goap_action_info kActions[] = {
    {"http-probe", "Wait until the URL answers as expected", kParams, std::size(kParams)},
};
constexpr goap_sensor_info kSensors[] = {
    {"http-probe", "Whether the URL answers as expected", "bool", kParams, std::size(kParams)},
};
constexpr goap_plugin_info kInfo = {GOAP_PLUGIN_API_VERSION, "http-probe", "1.0.0",
                                    "Probes an HTTP endpoint: status and body, with a timeout", kActions,
                                    std::size(kActions), kSensors, std::size(kSensors)};

// "" when the response matches, else why not.
std::string mismatch(const goap::plugin::HttpResponse& r, const std::vector<long long>& statuses, const std::string& pattern) {
  if (!r.ok) return r.error;
  if (std::find(statuses.begin(), statuses.end(), r.status) == statuses.end())
    return "status " + std::to_string(r.status);
  if (!pattern.empty()) {
    try {
      if (!std::regex_search(r.body, std::regex(pattern))) return "status " + std::to_string(r.status) + " but the body does not match /" + pattern + "/";
    } catch (const std::regex_error&) {
      throw goap::plugin::BadRequest("'body_match' is not a valid regular expression: " + pattern);
    }
  }
  return {};
}

Outcome handle(const Call& c) {
  const std::string url = c.str("url");
  const auto statuses = c.integers("expect_status");
  const std::string pattern = c.str("body_match");
  const auto timeout = c.duration("timeout");
  const auto interval = c.duration("interval");
  const goap::plugin::HttpOptions tls{c.str("ca_file")};
  if (c.describing()) {
    c.emit("command", "GET " + url + " until status " + c.str("expect_status") +
                          (pattern.empty() ? "" : " and body ~ /" + pattern + "/") + " (timeout " + c.str("timeout") + ")");
    return Outcome::ok("");
  }
  if (c.op() == GOAP_OP_SENSE) {
    const auto r = goap::plugin::http_get(url, timeout, tls);
    if (r.tls_error) return Outcome::failed(r.error);  // not "down": goap could not check
    const std::string why = mismatch(r, statuses, pattern);
    c.emit("value", why.empty() ? "true" : "false");
    return Outcome::ok(why.empty() ? "status " + std::to_string(r.status) : why);
  }
  const auto deadline = Clock::now() + timeout;
  std::string why;
  int tries = 0;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    ++tries;
    const auto r = goap::plugin::http_get(url, left, tls);
    if (r.tls_error) return Outcome::failed(r.error);  // waiting will not fix a certificate
    why = mismatch(r, statuses, pattern);
    if (why.empty()) return Outcome::ok(url + " answered as expected after " + std::to_string(tries) + " attempt(s)");
    c.debug(url + ": " + why);
    std::this_thread::sleep_for(std::min(interval, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())));
  }
  return Outcome::timeout(url + " did not answer as expected within " + c.str("timeout") + " (last: " + why + ")");
}

}  // namespace

GOAP_PLUGIN(kInfo, &handle)
