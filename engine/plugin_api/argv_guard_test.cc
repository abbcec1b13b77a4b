// Values in option positions and commands sent over ssh (argv_guard.h). The quoting is proven
// against a real /bin/sh, which is what sshd hands the remote command to.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <string>
#include <vector>

#include "plugin_api/argv_guard.h"
#include "plugin_api/plugin.h"
#include "plugin_api/process.h"

using namespace goap::plugin;

TEST_CASE("user names: POSIX-ish, never an option") {
  for (const char* ok : {"root", "deploy", "_svc", "a.b-c_d", "ubuntu2", ""}) CHECK_MESSAGE(check_user(ok).empty(), ok);
  for (const char* bad : {"-oProxyCommand=touch /tmp/x;", "-l", "root;id", "ro ot", "a@b", "a\nb", "$(id)", "`id`",
                          "a'b", ".hidden", "x/y"})
    CHECK_MESSAGE(!check_user(bad).empty(), bad);
  CHECK(!check_user(std::string(65, 'a')).empty());
}

TEST_CASE("host names, IPv4 and IPv6 literals; nothing that reads as an option or more") {
  for (const char* ok : {"127.0.0.1", "192.0.2.10", "gpu-box", "hermes.tail1234.ts.net", "example.org.", "::1",
                         "fe80::1", "2001:db8::8a2e:370:7334", "::ffff:10.0.0.1", "in_ternal", ""})
    CHECK_MESSAGE(check_host(ok).empty(), ok);
  for (const char* bad : {"-oProxyCommand=sh", "-p", "a.-b", "a..b", "host name", "h;id", "h\n", "h$(id)", "ssh://h",
                          "[::1]", "u@h", "h:22", ":::g", "."})
    CHECK_MESSAGE(!check_host(bad).empty(), bad);
}

TEST_CASE("refs follow git check-ref-format and never start with '-'") {
  for (const char* ok : {"main", "release/1.2", "feature/x-y_z", "v1.0", "a@b", ""}) CHECK_MESSAGE(check_ref(ok).empty(), ok);
  for (const char* bad : {"-f", "--upload-pack=touch x", "a..b", "a b", "a:b", "main:refs/heads/x", "+main", "a~1",
                          "a^", "a?", "a*", "a[", "a\\b", "/a", "a/", "a//b", ".a", "a/.b", "a.lock", "a/b.lock/c",
                          "a.", "@", "a@{1}", "a\nb", "a\tb"})
    CHECK_MESSAGE(!check_ref(bad).empty(), bad);
}

TEST_CASE("git remotes: URLs or paths, no option, no remote helper, no dashed host") {
  for (const char* ok : {"http://10.0.0.2:3000/timmy/config.git", "https://example.org/a.git", "ssh://git@h/r.git",
                         "git@host:repo.git", "/srv/git/r.git", "../r.git", "file:///srv/r.git", ""})
    CHECK_MESSAGE(check_remote(ok).empty(), ok);
  for (const char* bad : {"--upload-pack=touch /tmp/x", "-u", "ext::sh -c touch% /tmp/x", "fd::3", "x+y::addr",
                          "ssh://-oProxyCommand=touch/r", "ssh://u@-oProxyCommand=x/r", "/srv/r\n--upload-pack=x"})
    CHECK_MESSAGE(!check_remote(bad).empty(), bad);
}

TEST_CASE("check_value knows the option-position types and nothing else") {
  CHECK(is_option_position_type("user"));
  CHECK(is_option_position_type("host"));
  CHECK(is_option_position_type("ref"));
  CHECK(is_option_position_type("remote"));
  CHECK_FALSE(is_option_position_type("string"));
  CHECK(!check_value("host", "-x").empty());
  CHECK(check_value("string", "-x").empty());
  CHECK_THROWS_WITH_AS(require_value("ssh_user", "user", "-oProxyCommand=touch /tmp/x;\n"),
                       doctest::Contains("'ssh_user' must be a user name"), BadRequest);
  CHECK_THROWS_WITH_AS(require_value("ssh_user", "user", "-oX\n"), doctest::Contains("not '-oX\\n'"), BadRequest);
}

TEST_CASE("a remote command reaches a POSIX shell as exactly its argv") {
  char dir[] = "/tmp/goap-argv-guard-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string marker = std::string(dir) + "/marker";
  const std::vector<std::string> words{"printf", "<%s>",
                                       "ollama; touch " + marker,
                                       "$(touch " + marker + ")",
                                       "`touch " + marker + "`",
                                       "it's \"quoted\"",
                                       "two\nlines",
                                       "  spaced  ",
                                       "",
                                       "'",
                                       "\\'\\",
                                       "| touch " + marker + " &",
                                       "*"};
  const std::string cmd = remote_command(words);
  CHECK(shell_quote("it's") == "'it'\\''s'");
  // sshd runs `$SHELL -c <command>`: do the same.
  const ProcessResult r = run_process({"/bin/sh", "-c", cmd}, ProcessOptions{});
  REQUIRE(r.exit_code == 0);
  std::string want;
  for (std::size_t i = 2; i < words.size(); ++i) want += "<" + words[i] + ">";
  CHECK(r.output == want);
  CHECK(access(marker.c_str(), F_OK) != 0);
  rmdir(dir);
  // Plain words stay readable; the first word is never an assignment or a reserved word.
  CHECK(remote_command({"systemctl", "restart", "--", "a@b.service", "--x=1"}) == "systemctl restart -- a@b.service --x=1");
  CHECK(remote_command({"A=b", "c=d"}) == "'A=b' c=d");
  CHECK(remote_command({"if", "then"}) == "'if' then");
  CHECK(remote_command({"x", "", "~", "#"}) == "x '' '~' '#'");
  for (const std::vector<std::string>& argv : {std::vector<std::string>{"if"}, std::vector<std::string>{"A=b"}}) {
    const ProcessResult nf = run_process({"/bin/sh", "-c", remote_command(argv)}, ProcessOptions{});
    CHECK(nf.exit_code == 127);  // looked up as a command, not read as syntax or an assignment
  }
  CHECK_THROWS_AS(remote_command({}), BadRequest);
  CHECK_THROWS_AS(remote_command({std::string("a\0b", 3)}), BadRequest);
}

TEST_CASE("ssh_argv: fixed options, '--', a checked destination, one quoted command") {
  SshTarget t;
  t.user = "root";
  t.host = "10.0.0.5";
  t.port = 2222;
  t.identity = "-weird key";
  t.known_hosts = "/tmp/kh";
  CHECK(ssh_argv(t, {"systemctl", "restart", "--", "ollama; touch /tmp/y"}) ==
        std::vector<std::string>{"ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10",
                                 "-p", "2222", "-i",
                                 "-weird key", "-o", "UserKnownHostsFile=/tmp/kh", "--", "root@10.0.0.5",
                                 "systemctl restart -- 'ollama; touch /tmp/y'"});
  t.user = "";
  t.port = 0;
  t.identity = "";
  t.known_hosts = "";
  CHECK(ssh_argv(t, {"id"}) == std::vector<std::string>{"ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                                                       "-o", "ConnectTimeout=10", "--", "10.0.0.5", "id"});
  t.user = "-oProxyCommand=touch /tmp/x;";
  CHECK_THROWS_WITH_AS(ssh_argv(t, {"id"}), doctest::Contains("'ssh_user' must be a user name"), BadRequest);
  t.user = "root";
  t.host = "-oProxyCommand=x";
  CHECK_THROWS_WITH_AS(ssh_argv(t, {"id"}), doctest::Contains("'host' must be a host name"), BadRequest);
  t.host = "";
  CHECK_THROWS_AS(ssh_argv(t, {"id"}), BadRequest);
  t.host = "h";
  t.known_hosts = "/tmp/a IdentityFile=/x";
  CHECK_THROWS_WITH_AS(ssh_argv(t, {"id"}), doctest::Contains("'ssh_known_hosts'"), BadRequest);
  t.known_hosts = "";
  t.port = 70000;
  CHECK_THROWS_AS(ssh_argv(t, {"id"}), BadRequest);
}

TEST_CASE("an ssh config file must be as trusted as ~/.ssh/config: it can run commands") {
  char dir[] = "/tmp/goap-ssh-config-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string cfg = std::string(dir) + "/config";
  std::ofstream(cfg) << "Host lab\n  ProxyCommand touch /tmp/x\n";
  SshTarget t;
  t.host = "lab";
  t.config = cfg;
  chmod(cfg.c_str(), 0666);
  CHECK_THROWS_WITH_AS(ssh_argv(t, {"id"}), doctest::Contains("'ssh_config' must be a file only its owner can write"),
                       BadRequest);
  chmod(cfg.c_str(), 0620);
  CHECK_THROWS_AS(ssh_argv(t, {"id"}), BadRequest);
  chmod(cfg.c_str(), 0600);
  CHECK(ssh_argv(t, {"id"})[7] == "-F");
  t.config = dir;  // a directory
  CHECK_THROWS_WITH_AS(ssh_argv(t, {"id"}), doctest::Contains("an existing regular file"), BadRequest);
  t.config = std::string(dir) + "/missing";
  CHECK_THROWS_AS(ssh_argv(t, {"id"}), BadRequest);
  for (const char* none : {"none", "/dev/null"}) {
    t.config = none;
    CHECK(ssh_argv(t, {"id"})[8] == none);
  }
  unlink(cfg.c_str());
  rmdir(dir);
}

TEST_CASE("ssh_forward_argv: the same checked options, -N, a Unix socket forward, '--', the destination") {
  SshTarget t;
  t.user = "root";
  t.host = "192.0.2.10";
  t.port = 2222;
  CHECK(ssh_forward_argv(t, "/tmp/d/socket", "127.0.0.1", 11434) ==
        std::vector<std::string>{"ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10",
                                 "-p", "2222", "-N", "-o", "ExitOnForwardFailure=yes", "-o", "ControlMaster=no", "-o",
                                 "ControlPath=none", "-o", "StreamLocalBindMask=0177", "-L",
                                 "/tmp/d/socket:127.0.0.1:11434", "--", "root@192.0.2.10"});
  CHECK(ssh_forward_argv(t, "/tmp/d/socket", "::1", 11434)[19] == "/tmp/d/socket:[::1]:11434");
  // The target and the socket go into one ':'-separated spec: nothing may add a field.
  CHECK_THROWS_AS(ssh_forward_argv(t, "/tmp/d/socket", "127.0.0.1:22:x", 11434), BadRequest);
  CHECK_THROWS_AS(ssh_forward_argv(t, "/tmp/d/socket", "-oProxyCommand=x", 11434), BadRequest);
  CHECK_THROWS_AS(ssh_forward_argv(t, "/tmp/a:b/socket", "127.0.0.1", 11434), BadRequest);
  CHECK_THROWS_AS(ssh_forward_argv(t, "socket", "127.0.0.1", 11434), BadRequest);
  CHECK_THROWS_AS(ssh_forward_argv(t, "/tmp/d/socket", "127.0.0.1", 0), BadRequest);
  t.user = "-oProxyCommand=x";
  CHECK_THROWS_WITH_AS(ssh_forward_argv(t, "/tmp/d/socket", "127.0.0.1", 1), doctest::Contains("'ssh_user' must be"),
                       BadRequest);
}

TEST_CASE("values in messages stay on one line and cannot drive the terminal") {
  CHECK(printable("a\nb\r\tc\x1b[2J") == "a\\nb\\r\\tc\\x1b[2J");
  CHECK(printable(std::string(200, 'x')) == std::string(120, 'x') + "...");
}
