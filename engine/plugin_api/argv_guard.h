// Keeping values in their place when a plugin builds an argv for ssh, git or a provider's CLI.
//
// A value filled from a world (an object's attribute, say) must never become an option of the
// program it is passed to, nor shell text on a remote host:
//
//   - Values that sit where a program also reads options (ssh's destination, git's refs and
//     remotes) are checked against a pattern that can never start with '-' and holds no
//     whitespace or control characters: check_user, check_host, check_ref, check_remote.
//     check_value applies them by parameter type ("user", "host", "ref", "remote"), which is how
//     the host checks `with:` values before a call and how `goap check` checks templates.
//   - A command run over ssh is sent as ONE string (remote_command) in which every word that
//     needs it is single-quoted for a POSIX shell, because sshd hands that string to the user's login shell
//     to parse again: the remote side then sees exactly the argv the dry run shows.
//   - ssh_argv builds the whole ssh call: fixed options first, `--`, the checked destination,
//     then the quoted command (ssh reads everything after the destination as the command).
//     ssh_forward_argv builds a forward to a port on the host's side (no command);
//     ssh_options_argv is their common part. Host keys are always checked strictly.
//
// Every check returns "" when the value is fine, else what it must be ("a user name: letters,
// ..."); an empty value passes (it means "not given"; a plugin that needs one says so).
// Standard library only: part of the plugin SDK.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace goap::plugin {

// POSIX-ish user names: a letter, digit or '_' first, then letters, digits, '_', '.', '-';
// at most 64 bytes.
std::string check_user(std::string_view v);
// A host name (labels of letters, digits, '-', '_' separated by dots, no label starting with
// '-'; at most 253 bytes), an IPv4 address or a bare IPv6 literal (hex digits, ':' and '.').
std::string check_host(std::string_view v);
// A branch or other ref name by `git check-ref-format` rules: no "..", "@{", "//", control
// characters, space or any of ~ ^ : ? * [ \; no component starting with '.' or ending in
// ".lock"; not starting or ending with '/', not ending with '.', not "@"; never starting with '-'
// or '+' (a forced refspec).
std::string check_ref(std::string_view v);
// A git remote: a URL or a path, never starting with '-', without control characters, not a
// `<helper>::<address>` remote helper (ext:: runs any command), no URL host starting with '-'.
std::string check_remote(std::string_view v);

// A word that a hand-written `ssh ... HOST word...` argv sends to the remote shell: ssh joins
// those words with spaces and the remote shell parses the line again, so a value there must be
// one plain word (letters, digits and _ @ % + = : , . / -) that the shell reads as itself.
std::string check_remote_word(std::string_view v);

// The check of a parameter type ("user", "host", "ref", "remote"); "" for any other type.
std::string check_value(std::string_view type, std::string_view v);
// True for the types check_value knows: values that may stand where options are read.
bool is_option_position_type(std::string_view type);

// One word for a POSIX shell: always single-quoted, each ' written as '\''.
std::string shell_quote(std::string_view word);
// The argv as one POSIX shell command line, joined by spaces: every word shell_quote'd unless
// it holds only characters the shell reads as themselves (letters, digits, _ . / : @ % + , -,
// and '=' after the first word; the first word is never a reserved word), so a dry run stays
// readable. Throws BadRequest when it is empty or a word holds a NUL byte.
std::string remote_command(const std::vector<std::string>& argv);

struct SshTarget {
  std::string user;         // empty: ssh's default (the local user, or the ssh config's)
  std::string host;         // required
  long long port = 0;       // 0: ssh's default
  std::string identity;     // -i FILE, empty: none
  std::string known_hosts;  // -o UserKnownHostsFile=FILE, empty: ssh's default
  std::string config;       // -F FILE, empty: ssh's default (~/.ssh/config); "none": no config.
                            // It can run commands, so it must be a regular file of root or this
                            // user that no one else can write (or "none", /dev/null)
};

// ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=10 [-p PORT] [-i FILE]
//     [-o UserKnownHostsFile=FILE] [-F FILE] -- [USER@]HOST '<remote_command(argv)>'
// Throws BadRequest naming the parameter (`user_param`, `host_param`, ...) and the value when
// one fails its check. Host keys are always checked strictly: an unknown or changed key fails
// the call (ssh exits 255), whatever a config file says.
struct SshParamNames {
  std::string user = "ssh_user", host = "host", port = "ssh_port", identity = "ssh_identity",
              known_hosts = "ssh_known_hosts", config = "ssh_config";
};
std::vector<std::string> ssh_argv(const SshTarget& target, const std::vector<std::string>& remote_argv,
                                  const SshParamNames& names = {});

// The same ssh call up to (not including) the `--`: "ssh" and its checked options (port,
// identity, known hosts, config; not the user and host), for callers that add their own options
// and destination (git's GIT_SSH_COMMAND, a forward).
std::vector<std::string> ssh_options_argv(const SshTarget& target, const SshParamNames& names = {});

// A forward with no remote command: the options of ssh_options_argv, then
//   -N -o ExitOnForwardFailure=yes -o ControlMaster=no -o ControlPath=none
//   -o StreamLocalBindMask=0177 -L LOCAL_SOCKET:TO_HOST:TO_PORT -- [USER@]HOST
// A connection to the Unix socket LOCAL_SOCKET is carried over ssh and opened BY THE HOST to
// TO_HOST:TO_PORT (so 127.0.0.1 is the host's own loopback). TO_HOST is checked as a host.
std::vector<std::string> ssh_forward_argv(const SshTarget& target, const std::string& local_socket,
                                          const std::string& to_host, int to_port, const SshParamNames& names = {});

// A value as it may be shown in a one-line message: control bytes escaped (\n, \x1b), cut
// after 120 bytes.
std::string printable(std::string_view v);

// Throws BadRequest "'<param>' must be <what>, not '<value>'" when check_value(type, value) fails.
void require_value(std::string_view param, std::string_view type, std::string_view value);

}  // namespace goap::plugin
