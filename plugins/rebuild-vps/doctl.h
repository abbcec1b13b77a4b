// DigitalOcean's CLI as the rebuild-vps plugin drives it: the API token, the argv of each call,
// and finding a droplet's id from its name.
//
//   Doctl            runs `<doctl> ARGS...` with the token in its environment only
//                    (DIGITALOCEAN_ACCESS_TOKEN), never on the argv; scrub() takes the token out
//                    of any text a command printed before it reaches a message
//   parse_droplets   `droplet list --format ID,Name,PublicIPv4 --no-header` -> the droplets of
//                    one exact name; a line it cannot read is an error, never skipped (a droplet
//                    missed there would be created twice)
//   lookup           exactly one droplet of that name, none, or an error (two of one name are
//                    refused: which one is meant cannot be known)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_api/plugin.h"

namespace rebuild_vps {

struct Droplet {
  std::string id, name, ip;
};

// The droplets named `name` in doctl's list output; `error` set (and nothing returned) when a
// line is not "ID NAME [IPV4]".
std::vector<Droplet> parse_droplets(std::string_view output, const std::string& name, std::string& error);

std::vector<std::string> list_args();
// power-cycle-vps, power-off-vps or rebuild-vps (with --image) on droplet `id`.
std::vector<std::string> action_args(std::string_view kind, const std::string& id, const goap::plugin::Call& c);
std::vector<std::string> create_args(const goap::plugin::Call& c);
std::vector<std::string> assign_args(const goap::plugin::Call& c, const std::string& id);

class Doctl {
 public:
  using Clock = std::chrono::steady_clock;
  // Throws BadRequest when 'doctl' is empty.
  Doctl(const goap::plugin::Call& c, Clock::time_point deadline);

  [[nodiscard]] std::vector<std::string> argv(const std::vector<std::string>& args) const;
  // Reads the token (token_file, else the environment) once, before anything runs. Throws
  // BadRequest when there is none or the file cannot be used.
  void load_token();
  [[nodiscard]] std::string scrub(std::string m) const;

  struct Result {
    bool ok = false;
    std::string output, error;  // error: the command and why it failed, the token scrubbed
  };
  [[nodiscard]] Result run(const std::vector<std::string>& args) const;

  struct Lookup {
    std::optional<Droplet> droplet;
    std::string error;
  };
  [[nodiscard]] Lookup lookup(const std::string& name) const;

 private:
  const goap::plugin::Call& c_;
  std::string program_;
  Clock::time_point deadline_;
  std::string token_;
  bool from_file_ = false;
};

}  // namespace rebuild_vps
