// The `sync-repo` plugin: bring a git working copy (or bare mirror) at `path` and the branch on
// `remote` to the same commit, and optionally a second remote `mirror` too.
//
//   fetch remote's branch; equal: nothing to do; ours behind: fast-forward ours; ours ahead:
//   push ours; diverged: refuse (a human decides which history wins). Then the same against
//   `mirror`, push only. Finally `git ls-remote` must show every side at our commit.
//
// Every git call is an argv with `git -C <path>`; no shell. Remotes come after `--`; `remote`
// and `mirror` are checked as remotes and `branch` as a ref (argv_guard.h: never an option,
// never a remote helper, never a second refspec), only the file, git, http(s) and ssh transports
// are allowed (GIT_ALLOW_PROTOCOL), and commit ids read from a remote are used only when they
// are hex. Sensor `in-sync`: whether the branch's commit is the same locally, on `remote` (and
// on `mirror`), by `git ls-remote`.
//
// Over ssh (`ssh://user@host:port/path.git`, or `user@host:path`), git runs the ssh command
// goap gives it in GIT_SSH_COMMAND, always, whatever the environment or a git config says:
//   ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=10 -o IdentitiesOnly=yes
//       [-i ssh_identity] [-o UserKnownHostsFile=ssh_known_hosts] [-F ssh_config]
// every word quoted for the shell git hands it to, the files checked as for any ssh call
// (argv_guard.h). So a host whose key is unknown or changed is refused (git fails, nothing
// moves), never asked about or accepted; no password prompt can hang a run.
#include <sys/stat.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "plugin_api/argv_guard.h"
#include "plugin_api/plugin.h"
#include "plugin_api/process.h"

namespace {

using goap::plugin::Call;
using goap::plugin::Outcome;
using Clock = std::chrono::steady_clock;

constexpr goap_param_info kActParams[] = {
    {"repo", "string", "", "the repo's name, for messages"},
    {"path", "string", nullptr, "the local working copy or bare mirror"},
    {"remote", "remote", nullptr, "the remote's URL (or path), e.g. ssh://git@192.0.2.10:22/ops/config.git"},
    {"mirror", "remote", "", "a second remote that gets the same commit (push only)"},
    {"branch", "ref", "main", "the branch to sync"},
    {"ssh_identity", "string", "", "ssh remotes: the identity file (-i, with IdentitiesOnly=yes); empty: ssh's default keys"},
    {"ssh_known_hosts", "string", "", "ssh remotes: the known-hosts file (UserKnownHostsFile); empty: ssh's default"},
    {"ssh_config", "string", "", "ssh remotes: ssh's config file (-F): yours or root's, writable by no one else; none: no config; empty: ~/.ssh/config"},
    {"timeout", "duration", "120s", "for all git commands together"},
};
constexpr goap_param_info kSenseParams[] = {
    {"repo", "string", "", "the repo's name, for messages"},
    {"path", "string", nullptr, "the local working copy or bare mirror"},
    {"remote", "remote", nullptr, "the remote's URL (or path), e.g. ssh://git@192.0.2.10:22/ops/config.git"},
    {"mirror", "remote", "", "a second remote that must agree too"},
    {"branch", "ref", "main", "the branch"},
    {"ssh_identity", "string", "", "ssh remotes: the identity file (-i, with IdentitiesOnly=yes); empty: ssh's default keys"},
    {"ssh_known_hosts", "string", "", "ssh remotes: the known-hosts file (UserKnownHostsFile); empty: ssh's default"},
    {"ssh_config", "string", "", "ssh remotes: ssh's config file (-F): yours or root's, writable by no one else; none: no config; empty: ~/.ssh/config"},
    {"timeout", "duration", "30s", "for the git commands together"},
};
constexpr goap_action_info kActions[] = {
    {"sync-repo", "Fast-forward or push so that the local copy and the remote(s) agree; refuse on divergence",
     kActParams, std::size(kActParams)},
};
constexpr goap_sensor_info kSensors[] = {
    {"in-sync", "Whether the branch has the same commit locally and on the remote(s)", "bool", kSenseParams,
     std::size(kSenseParams)},
};
constexpr goap_plugin_info kInfo = {GOAP_PLUGIN_API_VERSION, "sync-repo", "1.2.0",
                                    "Keeps a git repository and its remotes on the same commit, with git", kActions,
                                    std::size(kActions), kSensors, std::size(kSensors)};

// GIT_SSH_COMMAND: ssh with strict host keys, no prompts, only the given identity. git runs it
// through a shell, so each word is quoted (argv_guard.h remote_command); the files are checked
// by ssh_options_argv (a known-hosts name ssh's option parser would split, a config file others
// could write: refused).
std::string git_ssh_command(const Call& c) {
  goap::plugin::SshTarget t;
  t.identity = c.str("ssh_identity");
  struct stat st {};
  if (!t.identity.empty() && (stat(t.identity.c_str(), &st) != 0 || !S_ISREG(st.st_mode)))
    throw goap::plugin::BadRequest("'ssh_identity' must be an existing key file, not '" +
                                   goap::plugin::printable(t.identity) + "'");
  t.known_hosts = c.str("ssh_known_hosts");
  t.config = c.str("ssh_config");
  auto argv = goap::plugin::ssh_options_argv(t);
  argv.insert(argv.begin() + 1, {"-o", "IdentitiesOnly=yes"});
  return goap::plugin::remote_command(argv);
}

// Whether git reaches `url` over ssh: ssh://, git+ssh://, ssh+git:// or the scp-like
// [user@]host:path (a ':' before any '/').
bool over_ssh(const std::string& url) {
  for (const char* scheme : {"ssh://", "git+ssh://", "ssh+git://"})
    if (url.rfind(scheme, 0) == 0) return true;
  const std::size_t colon = url.find(':');
  return url.find("://") == std::string::npos && colon != std::string::npos && colon < url.find('/');
}

// The line in which ssh refused the connection (a host key, a login), or "". The marks are
// tried in order: for a changed host key ssh prints a banner, then "Host key verification failed."
std::string ssh_refusal(const std::string& output) {
  for (const char* mark : {"Host key verification failed", "Permission denied (", "Connection refused",
                           "Could not resolve hostname", "Connection timed out"}) {
    const std::size_t at = output.find(mark);
    if (at == std::string::npos) continue;
    const std::size_t begin = output.rfind('\n', at);
    const std::size_t end = output.find('\n', at);
    return goap::plugin::last_line(output.substr(begin == std::string::npos ? 0 : begin + 1,
                                                 end == std::string::npos ? std::string::npos : end - (begin + 1)));
  }
  return {};
}

class Git {
 public:
  Git(const Call& c, std::string path, Clock::time_point deadline, std::string ssh_command)
      : c_(c), path_(std::move(path)), deadline_(deadline), ssh_command_(std::move(ssh_command)) {}

  // Runs git -C path ARGS; the output on exit 0, else nullopt with `error` set.
  std::optional<std::string> run(std::vector<std::string> args) {
    std::vector<std::string> argv{"git", "-C", path_};
    argv.insert(argv.end(), args.begin(), args.end());
    goap::plugin::ProcessOptions po;
    po.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    if (po.timeout.count() <= 0) {
      error = "timed out before " + goap::plugin::quote_argv(argv);
      timed_out = true;
      return std::nullopt;
    }
    // GIT_SSH_COMMAND wins over GIT_SSH and core.sshCommand; GIT_SSH_VARIANT: it is OpenSSH.
    po.env = {"GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_ALLOW_PROTOCOL=file:git:http:https:ssh",
              "GIT_SSH_COMMAND=" + ssh_command_, "GIT_SSH_VARIANT=ssh"};
    c_.debug(goap::plugin::quote_argv(argv));
    auto r = goap::plugin::run_process(argv, po);
    if (r.timed_out) timed_out = true;
    if (!r.started || r.timed_out || r.signal != 0 || r.exit_code != 0) {
      error = goap::plugin::quote_argv(argv) + ": " + r.failure();
      // git's last line is advice ("...and the repository exists."); ssh's own refusal says why.
      if (const std::string why = ssh_refusal(r.output); !why.empty()) error += " (ssh: " + why + ")";
      last_exit = r.exit_code;
      return std::nullopt;
    }
    last_exit = 0;
    while (!r.output.empty() && (r.output.back() == '\n' || r.output.back() == ' ')) r.output.pop_back();
    return r.output;
  }
  // The commit of refs/heads/<branch> on `url`, "" when the branch does not exist there.
  std::optional<std::string> remote_head(const std::string& url, const std::string& branch) {
    auto out = run({"ls-remote", "--", url, "refs/heads/" + branch});
    if (!out) return std::nullopt;
    std::string id = out->substr(0, out->find_first_of("\t "));
    if (id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      error = url + " answered something that is not a commit id";
      return std::nullopt;
    }
    return id;
  }
  std::string error;
  bool timed_out = false;
  int last_exit = 0;

 private:
  const Call& c_;
  std::string path_;
  Clock::time_point deadline_;
  std::string ssh_command_;
};

Outcome fail(const Git& g, const std::string& what) {
  return g.timed_out ? Outcome::timeout(what + ": " + g.error) : Outcome::failed(what + ": " + g.error);
}

// Brings `url` to our commit, pushing if it is behind; refuses if it has commits we lack.
std::optional<Outcome> push_side(Git& g, const std::string& url, const std::string& branch, const std::string& ours) {
  auto theirs = g.remote_head(url, branch);
  if (!theirs) return fail(g, "cannot read " + url);
  if (*theirs == ours) return std::nullopt;
  if (!theirs->empty()) {
    if (!g.run({"cat-file", "-e", *theirs + "^{commit}"})) {
      if (!g.run({"fetch", "--quiet", "--", url, "refs/heads/" + branch})) return fail(g, "cannot fetch from " + url);
    }
    if (!g.run({"merge-base", "--is-ancestor", *theirs, ours}))
      return Outcome::failed(url + " has commits that " + branch + " lacks: diverged, refusing to overwrite them");
  }
  if (!g.run({"push", "--quiet", "--", url, ours + ":refs/heads/" + branch})) return fail(g, "cannot push to " + url);
  return std::nullopt;
}

Outcome handle(const Call& c) {
  const std::string path = c.str("path"), remote = c.str("remote"), mirror = c.str("mirror"), branch = c.str("branch");
  const std::string name = c.str("repo").empty() ? path : c.str("repo");
  // The host checks these too; a plugin checks what it relies on.
  goap::plugin::require_value("remote", "remote", remote);
  goap::plugin::require_value("mirror", "remote", mirror);
  goap::plugin::require_value("branch", "ref", branch);
  if (remote.empty() || branch.empty()) throw goap::plugin::BadRequest("'remote' and 'branch' must not be empty");
  const auto deadline = Clock::now() + c.duration("timeout");
  const std::string ssh_command = git_ssh_command(c);  // checked before anything runs
  if (c.describing()) {
    if (over_ssh(remote) || over_ssh(mirror))
      c.emit("command", "GIT_SSH_COMMAND=" + goap::plugin::shell_quote(ssh_command) + " for every git call below");
    c.emit("command", goap::plugin::quote_argv({"git", "-C", path, "fetch", "--", remote, "refs/heads/" + branch}));
    c.emit("command", "then fast-forward " + path + " or " +
                          goap::plugin::quote_argv({"git", "-C", path, "push", "--", remote, "<commit>:refs/heads/" + branch}) +
                          " (refusing if they diverged)");
    if (!mirror.empty()) c.emit("command", goap::plugin::quote_argv({"git", "-C", path, "push", "--", mirror, "<commit>:refs/heads/" + branch}));
    c.emit("command", goap::plugin::quote_argv({"git", "-C", path, "ls-remote", "--", remote, "refs/heads/" + branch}) + " must match");
    return Outcome::ok("");
  }
  Git g(c, path, deadline, ssh_command);
  auto ours = g.run({"rev-parse", "--verify", "--quiet", "refs/heads/" + branch + "^{commit}"});
  if (c.op() == GOAP_OP_SENSE) {
    if (!ours) {
      if (g.timed_out) return fail(g, "cannot read " + path);
      ours = "";  // no such branch locally: in sync only if the remote lacks it too
    }
    auto theirs = g.remote_head(remote, branch);
    if (!theirs) return fail(g, "cannot read " + remote);
    bool same = *theirs == *ours;
    if (same && !mirror.empty()) {
      auto m = g.remote_head(mirror, branch);
      if (!m) return fail(g, "cannot read " + mirror);
      same = *m == *ours;
    }
    c.emit("value", same ? "true" : "false");
    return Outcome::ok(name + (same ? " in sync" : " out of sync"));
  }

  if (!g.run({"fetch", "--quiet", "--", remote, "refs/heads/" + branch})) return fail(g, "cannot fetch " + name);
  auto fetched = g.run({"rev-parse", "--verify", "FETCH_HEAD^{commit}"});
  if (!fetched) return fail(g, "cannot read what was fetched");
  std::string action;
  if (!ours) {
    if (!g.run({"update-ref", "refs/heads/" + branch, *fetched})) return fail(g, "cannot create " + branch);
    ours = fetched;
    action = "created " + branch + " from the remote";
  } else if (*ours == *fetched) {
    action = "already in sync with the remote";
  } else if (g.run({"merge-base", "--is-ancestor", *ours, *fetched})) {
    // Behind: fast-forward. The checked-out branch of a working copy moves with its files.
    auto head = g.run({"symbolic-ref", "--quiet", "HEAD"});
    auto bare = g.run({"rev-parse", "--is-bare-repository"});
    if (head && *head == "refs/heads/" + branch && bare && *bare == "false") {
      if (!g.run({"merge", "--ff-only", "--quiet", *fetched})) return fail(g, "cannot fast-forward " + name);
    } else if (!g.run({"update-ref", "refs/heads/" + branch, *fetched, *ours})) {
      return fail(g, "cannot fast-forward " + name);
    }
    action = "fast-forwarded " + ours->substr(0, 12) + ".." + fetched->substr(0, 12);
    ours = fetched;
  } else if (g.run({"merge-base", "--is-ancestor", *fetched, *ours})) {
    if (auto o = push_side(g, remote, branch, *ours)) return *o;
    action = "pushed " + fetched->substr(0, 12) + ".." + ours->substr(0, 12);
  } else {
    return Outcome::failed(name + ": " + branch + " and the remote have diverged (" + ours->substr(0, 12) + " vs " +
                           fetched->substr(0, 12) + "); refusing to pick a side");
  }
  if (!mirror.empty()) {
    if (auto o = push_side(g, mirror, branch, *ours)) return *o;
    action += "; mirror updated";
  }
  // Verify, as the sensor would: every side shows our commit.
  for (const std::string& url : mirror.empty() ? std::vector<std::string>{remote} : std::vector<std::string>{remote, mirror}) {
    auto head = g.remote_head(url, branch);
    if (!head) return fail(g, "cannot verify " + url);
    if (*head != *ours) return Outcome::failed(url + " is at " + head->substr(0, 12) + " after the sync, not " + ours->substr(0, 12));
  }
  return Outcome::ok(name + ": " + action + "; heads agree at " + ours->substr(0, 12));
}

}  // namespace

GOAP_PLUGIN(kInfo, &handle)
