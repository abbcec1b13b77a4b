// A host's entry in an OpenSSH known-hosts file: finding it, fetching a new host key, and
// replacing exactly that entry when a plugin has just re-created the host itself.
//
// Host-key checking stays strict everywhere: nothing here accepts a key on a connection's word.
// The one sanctioned rotation is a plugin that rebuilt or re-created a machine (so the old key is
// gone by its own hand) and then fetches the new key from the same address:
//
//   keyscan_argv     ssh-keyscan -T S [-p PORT] -- HOST   (HOST checked like ssh's destination)
//   parse_keyscan    the "TYPE BASE64" keys of its answer (comment and other lines left out)
//   host_pattern     how ssh names the host in the file: "addr" for port 22, "[addr]:port" else
//   replace_entries  the file's text with that host's keys replaced: every line naming only that
//                    host goes, a line naming it among others loses just that name, hashed lines
//                    (HashKnownHosts) whose line numbers the caller found with `ssh-keygen -F`
//                    go; the new keys stand where the first old one stood (else at the end);
//                    every other line, comments and @cert-authority/@revoked lines included,
//                    stays byte for byte
//   write_atomically a temporary file beside the target with the target's mode (and owner),
//                    fsync'd, then renamed over it: a reader sees the old file or the new one
//
// Standard library and POSIX only: part of the plugin SDK.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace goap::plugin {

// "addr" when port is 0 or 22, else "[addr]:port" (ssh's own spelling in known_hosts).
std::string host_pattern(std::string_view host, long long port);

// ssh-keyscan -T <timeout_s> [-p PORT] -- HOST. Throws BadRequest when the host fails check_host
// or the port is out of range (the parameter names are for the message).
std::vector<std::string> keyscan_argv(std::string_view host, long long port, int timeout_s,
                                      std::string_view host_param = "address", std::string_view port_param = "ssh_port");

// The keys ("ssh-ed25519 AAAA...") of the lines of ssh-keyscan's output that name `pattern`.
std::vector<std::string> parse_keyscan(std::string_view output, std::string_view pattern);

struct KnownHostsEdit {
  std::string text;     // the new contents
  int removed = 0;      // entries (lines or names on a shared line) taken out
};
// `hashed_lines`: 1-based numbers of hashed lines ("|1|...") that name the host (ssh-keygen -F).
KnownHostsEdit replace_entries(std::string_view text, std::string_view pattern, const std::vector<std::string>& keys,
                               const std::vector<int>& hashed_lines = {});

// The 1-based line numbers `ssh-keygen -F PATTERN -f FILE` reports ("# Host ... found: line N").
std::vector<int> parse_keygen_find(std::string_view output);

// "" on success, else why not (nothing was changed then). A missing file is created with mode 0600.
std::string write_atomically(const std::string& path, std::string_view text);

}  // namespace goap::plugin
