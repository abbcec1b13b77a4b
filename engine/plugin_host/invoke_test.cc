// What --resume kills: the processes of a journaled session, and never those of a session whose
// id now belongs to someone else.
#include "plugin_host/invoke.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

using goap::plugin_host::process_start_time;
using goap::plugin_host::StepProcess;
using goap::plugin_host::stop_step_process;

namespace {

// A child in a session of its own with a grandchild in it, as an interrupted step leaves them.
pid_t start_session() {
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();
    if (fork() == 0) execlp("sleep", "sleep", "300", static_cast<char*>(nullptr));
    execlp("sleep", "sleep", "300", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // until setsid has run
  return pid;
}

bool gone(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

TEST_CASE("stop_step_process kills a journaled session, and not one whose id was reused") {
  const pid_t leader = start_session();
  const std::int64_t start = process_start_time(leader);
  REQUIRE(start > 0);
  CHECK(stop_step_process({leader, start + 1}) == 0);  // another start time: not ours
  CHECK_FALSE(gone(leader));
  CHECK(stop_step_process({leader, start}) == 2);      // the leader and the grandchild
  waitpid(leader, nullptr, 0);
  CHECK(process_start_time(leader) == 0);
  CHECK(stop_step_process({leader, start}) == 0);      // nothing left
}
