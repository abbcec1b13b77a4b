// A host's known-hosts entry replaced after a rebuild (known_hosts.h): exactly that entry goes,
// every other line stays byte for byte, and the file is swapped whole.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plugin_api/known_hosts.h"
#include "plugin_api/plugin.h"

using namespace goap::plugin;

TEST_CASE("ssh names a host by address for port 22, by [address]:port otherwise") {
  CHECK(host_pattern("192.0.2.10", 22) == "192.0.2.10");
  CHECK(host_pattern("192.0.2.10", 0) == "192.0.2.10");
  CHECK(host_pattern("192.0.2.10", 2222) == "[192.0.2.10]:2222");
}

TEST_CASE("ssh-keyscan gets a checked host after --") {
  CHECK(keyscan_argv("192.0.2.10", 2222, 10) ==
        std::vector<std::string>{"ssh-keyscan", "-T", "10", "-p", "2222", "--", "192.0.2.10"});
  CHECK(keyscan_argv("web-1.example.org", 0, 0) == std::vector<std::string>{"ssh-keyscan", "-T", "1", "--", "web-1.example.org"});
  CHECK_THROWS_AS(keyscan_argv("-oProxyCommand=id", 22, 5), BadRequest);
  CHECK_THROWS_AS(keyscan_argv("", 22, 5), BadRequest);
  CHECK_THROWS_AS(keyscan_argv("h", 70000, 5), BadRequest);
}

TEST_CASE("the keys of ssh-keyscan's answer for that host only") {
  const std::string out =
      "# 127.0.0.1:2222 SSH-2.0-OpenSSH_9.2p1\n"
      "[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHiv\n"
      "[127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNh=\n"
      "[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHiv\n"  // twice: once
      "[127.0.0.2]:2222 ssh-ed25519 AAAAother\n"
      "[127.0.0.1]:2222 ssh-rsa not;base64\n"
      "garbage\n";
  CHECK(parse_keyscan(out, "[127.0.0.1]:2222") ==
        std::vector<std::string>{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHiv", "ecdsa-sha2-nistp256 AAAAE2VjZHNh="});
  CHECK(parse_keyscan(out, "127.0.0.1").empty());
}

TEST_CASE("exactly the host's entry is replaced; every other line stays byte for byte") {
  const std::string before =
      "# fleet hosts\n"
      "[192.0.2.10]:2222 ssh-ed25519 AAAAold\n"
      "192.0.2.10 ssh-ed25519 AAAAport22\n"            // the same address on port 22: another entry
      "[192.0.2.10]:22220 ssh-ed25519 AAAAother\n"
      "@cert-authority [192.0.2.10]:2222 ssh-ed25519 AAAAca\n"
      "[192.0.2.10]:2222 ecdsa-sha2-nistp256 AAAAold2\n"
      "\n"
      "  gitea.example.org,[192.0.2.10]:2222 ssh-rsa AAAAshared comment\n"
      "|1|salt=|hash= ssh-ed25519 AAAAhashed\n"
      "|1|salt2=|hash2= ssh-ed25519 AAAAhashedother\n"
      "web-2 ssh-ed25519 AAAAlast";                     // no newline at the end
  const auto e = replace_entries(before, "[192.0.2.10]:2222", {"ssh-ed25519 AAAAnew"}, {9});
  CHECK(e.removed == 4);
  CHECK(e.text ==
        "# fleet hosts\n"
        "[192.0.2.10]:2222 ssh-ed25519 AAAAnew\n"
        "192.0.2.10 ssh-ed25519 AAAAport22\n"
        "[192.0.2.10]:22220 ssh-ed25519 AAAAother\n"
        "@cert-authority [192.0.2.10]:2222 ssh-ed25519 AAAAca\n"
        "\n"
        "  gitea.example.org ssh-rsa AAAAshared comment\n"
        "|1|salt2=|hash2= ssh-ed25519 AAAAhashedother\n"
        "web-2 ssh-ed25519 AAAAlast");
}

TEST_CASE("a host without an entry gets one at the end") {
  CHECK(replace_entries("a ssh-ed25519 AAAA", "b", {"ssh-ed25519 BBBB"}).text == "a ssh-ed25519 AAAA\nb ssh-ed25519 BBBB\n");
  CHECK(replace_entries("", "b", {"ssh-ed25519 BBBB"}).text == "b ssh-ed25519 BBBB\n");
  CHECK(replace_entries("", "b", {"ssh-ed25519 BBBB"}).removed == 0);
}

TEST_CASE("the hashed lines ssh-keygen -F found") {
  CHECK(parse_keygen_find("# Host [127.0.0.1]:22999 found: line 1 \n|1|x|y ssh-ed25519 AAAA\n"
                          "# Host [127.0.0.1]:22999 found: line 12 \n") == std::vector<int>{1, 12});
  CHECK(parse_keygen_find("").empty());
}

TEST_CASE("the file is replaced whole, keeping its mode") {
  char dir[] = "/tmp/goap-kh-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/known_hosts";
  { std::ofstream(path) << "old\n"; }
  REQUIRE(chmod(path.c_str(), 0640) == 0);
  const std::string link = std::string(dir) + "/link";
  REQUIRE(symlink(path.c_str(), link.c_str()) == 0);
  CHECK(write_atomically(link, "new\n") == "");
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  CHECK(s.str() == "new\n");
  struct stat st {};
  REQUIRE(lstat(link.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));  // the link still points at the file
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  const std::string fresh = std::string(dir) + "/fresh";
  CHECK(write_atomically(fresh, "x\n") == "");
  REQUIRE(stat(fresh.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(write_atomically(std::string(dir) + "/missing/dir/f", "x").find("cannot create") == 0);
  CHECK(write_atomically(dir, "x").find("not a regular file") != std::string::npos);
  unlink(path.c_str());
  unlink(link.c_str());
  unlink(fresh.c_str());
  CHECK(rmdir(dir) == 0);  // no temporary file left behind
}
