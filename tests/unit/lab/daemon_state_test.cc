// What `lab up` says about a daemon that did not come up: how it ended, from its exit
// status, so a start-up failure with nothing in the daemon's log still has a cause.
#include "cli/lab/daemons.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "cli/lab/command_runner.h"

namespace overcast::cli::lab {
namespace {

std::string log_path(const char* name) {
  return ::testing::TempDir() + "/" + name + "_" + std::to_string(::getpid()) + ".log";
}

// Polls until the child has ended (not reaped: spawned_daemon_state reaps it).
void wait_until_ended(pid_t pid) {
  for (int i = 0; i < 500 && spawned_daemon_running(pid, ""); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

TEST(SpawnedDaemonState, NamesTheExitStatus) {
  const std::string log = log_path("exit3");
  const pid_t pid = spawn_detached({"sh", "-c", "exit 3"}, log);
  wait_until_ended(pid);
  EXPECT_EQ(spawned_daemon_state(pid), "exit status 3");
  std::remove(log.c_str());
}

TEST(SpawnedDaemonState, NamesTheSignalThatKilledIt) {
  const std::string log = log_path("killed");
  const pid_t pid = spawn_detached({"sh", "-c", "kill -9 $$"}, log);
  wait_until_ended(pid);
  const std::string state = spawned_daemon_state(pid);
  EXPECT_EQ(state.rfind("killed by signal 9 (", 0), 0u) << state;
  std::remove(log.c_str());
}

TEST(SpawnedDaemonState, ARunningDaemonIsShownWithItsCommandLine) {
  const std::string log = log_path("running");
  const pid_t pid = spawn_detached({"sleep", "30"}, log);
  // Right after the fork the child may still be this test's image (or mid-execve, its
  // command line empty): wait for the daemon's own.
  std::string state;
  for (int i = 0; i < 500; ++i) {
    state = spawned_daemon_state(pid);
    if (state.find("sleep 30") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(state.find("still running"), std::string::npos) << state;
  EXPECT_NE(state.find("sleep 30"), std::string::npos) << state;
  ::kill(pid, SIGKILL);
  wait_until_ended(pid);
  EXPECT_EQ(spawned_daemon_state(pid).rfind("killed by signal 9", 0), 0u);
  std::remove(log.c_str());
}

TEST(SpawnedDaemonState, AProcessThatIsNotOurChildIsSaidToBeUnknown) {
  // PID 1 is never this test's child.
  EXPECT_NE(spawned_daemon_state(1).find("not a child"), std::string::npos);
}

}  // namespace
}  // namespace overcast::cli::lab
