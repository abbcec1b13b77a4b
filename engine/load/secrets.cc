#include "load/secrets.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

#include "load/yaml_doc.h"

namespace goap::load {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '-') c = '_';
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether a key names a secret: its last word (after '_', '-' or '.') or its ending.
bool secret_key(std::string_view key) {
  const std::string k = lower(key);
  for (std::string_view end : {"api_key", "access_key", "secret_key", "private_key"})
    if (k == end || ends_with(k, std::string("_") + std::string(end))) return true;
  const std::size_t cut = k.find_last_of("_.");
  const std::string_view last = cut == std::string::npos ? std::string_view(k) : std::string_view(k).substr(cut + 1);
  static constexpr std::array<std::string_view, 8> words = {"token",  "password",   "passwd",      "passphrase",
                                                            "secret", "credential", "credentials", "apikey"};
  for (std::string_view w : words)
    if (last == w) return true;
  return false;
}

// A value that is no secret itself: a template (the secret, if any, is elsewhere), a path to a
// file that holds it, a number, a boolean or null.
bool harmless_value(const std::string& v) {
  if (v.empty() || v.find("${") != std::string::npos) return true;
  if (v[0] == '/' || v.rfind("./", 0) == 0 || v.rfind("../", 0) == 0 || v.rfind("~/", 0) == 0) return true;
  const std::string l = lower(v);
  for (std::string_view w : {"true", "false", "yes", "no", "on", "off", "null", "~", "none"})
    if (l == w) return true;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  return end == v.c_str() + v.size();
}

// How many characters from `i` on are in `set` (letters and digits always count).
std::size_t run_of(std::string_view v, std::size_t i, std::string_view set) {
  std::size_t n = 0;
  while (i + n < v.size() && (is_alnum(v[i + n]) || set.find(v[i + n]) != std::string_view::npos)) ++n;
  return n;
}

// The name of a known token format found in `v`, or "".
std::string token_format(std::string_view v) {
  struct Format {
    std::string_view prefix, name, extra;
    std::size_t min;
  };
  static constexpr std::array<Format, 14> formats = {{
      {"dop_v1_", "a DigitalOcean API token", "", 32},
      {"ghp_", "a GitHub token", "", 30},
      {"gho_", "a GitHub token", "", 30},
      {"ghu_", "a GitHub token", "", 30},
      {"ghs_", "a GitHub token", "", 30},
      {"ghr_", "a GitHub token", "", 30},
      {"github_pat_", "a GitHub token", "_", 20},
      {"glpat-", "a GitLab token", "_-", 20},
      {"xoxb-", "a Slack token", "-", 10},
      {"xoxp-", "a Slack token", "-", 10},
      {"xoxa-", "a Slack token", "-", 10},
      {"xapp-", "a Slack token", "-", 10},
      {"tskey-", "a Tailscale key", "-", 10},
      {"AKIA", "an AWS access key id", "", 16},
  }};
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0 && is_alnum(v[i - 1])) continue;  // a token starts a word
    for (const Format& f : formats)
      if (v.substr(i, f.prefix.size()) == f.prefix && run_of(v, i + f.prefix.size(), f.extra) >= f.min) return std::string(f.name);
    if (v.substr(i, 3) == "eyJ") {  // a JSON web token: base64url("{\"...") twice, joined by '.'
      const std::size_t head = run_of(v, i, "_-");
      if (head >= 10 && i + head + 4 < v.size() && v[i + head] == '.' && v.substr(i + head + 1, 3) == "eyJ")
        return "a JSON web token";
    }
  }
  const std::size_t begin = v.find("-----BEGIN ");
  if (begin != std::string_view::npos) {
    const std::size_t end = v.find("-----", begin + 11);
    if (end != std::string_view::npos && v.substr(begin, end - begin).find("PRIVATE KEY") != std::string_view::npos)
      return "a private key";
  }
  return {};
}

// A long word that looks random: 32+ characters of letters, digits and + / _ = -, with upper
// and lower case letters and digits, and more than 4.3 bits of entropy per character (hex
// commit ids and checksums have at most 4; English words and names far less).
bool random_looking(std::string_view v) {
  if (v.size() < 32 || run_of(v, 0, "+/_=-") != v.size()) return false;
  bool upper = false, lowr = false, digit = false;
  std::array<int, 256> count{};
  for (char c : v) {
    upper |= c >= 'A' && c <= 'Z';
    lowr |= c >= 'a' && c <= 'z';
    digit |= c >= '0' && c <= '9';
    ++count[static_cast<unsigned char>(c)];
  }
  if (!(upper && lowr && digit)) return false;
  double bits = 0;
  for (int n : count)
    if (n > 0) {
      const double p = static_cast<double>(n) / static_cast<double>(v.size());
      bits -= p * std::log2(p);
    }
  return bits > 4.3;
}

class Walker {
 public:
  Walker(std::uint32_t file, const core::SourceManager& sm, core::Diagnostics& diags)
      : file_(file), sm_(sm), diags_(diags), budget_(4 * sm.text(file).size() + 64) {}

  void walk(const YAML::Node& n, const std::string& key, int depth) {
    if (depth > detail::kMaxDepth || budget_ == 0) return;
    --budget_;
    if (n.IsMap()) {
      // The keys under these name facts, types and parameters: names, not values.
      if (key == "facts" || key == "types" || key == "params" || key == "forall") return;
      for (const auto& kv : n)
        walk(kv.second, kv.first.IsScalar() ? kv.first.Scalar() : std::string(), depth + 1);
    } else if (n.IsSequence()) {
      for (const auto& item : n) walk(item, key, depth + 1);
    } else if (n.IsScalar()) {
      check(n, key);
    }
  }

 private:
  void check(const YAML::Node& n, const std::string& key) {
    const std::string& v = n.Scalar();
    const std::string under = key.empty() ? "" : " (key '" + key + "')";
    std::string what;
    if (const std::string f = token_format(v); !f.empty()) what = "this looks like " + f + under;
    else if (secret_key(key) && !harmless_value(v)) what = "'" + key + "' holds a literal value: a secret written into the file";
    else if (random_looking(v)) what = "this long random-looking value looks like a secret" + under;
    if (what.empty()) return;
    auto& d = diags_.warning(detail::loc_of(n, file_, sm_), what);
    d.quote_source = false;  // never print the secret again
    d.hint("goap files are shared (git, backups, this output): keep the secret in a file only goap's user can read "
           "and name that file (e.g. token_file: /etc/goap/provider-token, ssh_identity: /etc/goap/id_ed25519), or "
           "give it to goap in its environment (e.g. DIGITALOCEAN_ACCESS_TOKEN)");
    d.hint("if it is already in git's history, revoke it and issue a new one");
  }

  std::uint32_t file_;
  const core::SourceManager& sm_;
  core::Diagnostics& diags_;
  std::size_t budget_;  // nodes left to visit: aliases cannot make the walk larger than the file
};

}  // namespace

void warn_secret_literals(const core::SourceManager& sm, std::uint32_t first_file, core::Diagnostics& diags) {
  for (std::uint32_t f = first_file; f < sm.size(); ++f) {
    if (!sm.excerpts(f) || sm.text(f).empty()) continue;  // not a goap file: goap says nothing of its text
    YAML::Node root;
    try {
      root = YAML::Load(sm.text(f));
    } catch (const YAML::Exception&) {
      continue;  // reported by the loader
    }
    Walker(f, sm, diags).walk(root, "", 0);
  }
}

}  // namespace goap::load
