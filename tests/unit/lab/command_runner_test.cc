#include "cli/lab/command_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "cli/lab/lab_error.h"

namespace overcast::cli::lab {
namespace {

TEST(CommandRunner, CapturesStdoutStderrAndExitCode) {
  const auto result = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
}

TEST(CommandRunner, ArgumentsAreNotShellParsed) {
  const auto result = run_command({"echo", "a; rm -rf /", "$HOME"});
  EXPECT_EQ(result.out, "a; rm -rf / $HOME\n");
}

TEST(CommandRunner, MissingProgramIs127) {
  const auto result = run_command({"/nonexistent/program"});
  EXPECT_EQ(result.exit_code, 127);
  EXPECT_NE(result.err.find("cannot execute"), std::string::npos);
}

TEST(CommandRunner, CheckedFailureNamesCommandAndStderr) {
  try {
    run_checked({"sh", "-c", "echo 'RTNETLINK answers: File exists' >&2; exit 2"});
    FAIL() << "no exception";
  } catch (const LabError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("sh -c"), std::string::npos) << message;
    EXPECT_NE(message.find("exit 2"), std::string::npos) << message;
    EXPECT_NE(message.find("RTNETLINK answers: File exists"), std::string::npos) << message;
  }
}

TEST(CommandRunner, FormatQuotesWhatAShellWouldSplit) {
  EXPECT_EQ(format_command({"ip", "link", "add", "a b", "it's"}), "ip link add 'a b' 'it'\\''s'");
}

TEST(CommandRunner, DetachedProcessWritesToItsLogAndHoldsNoInheritedDescriptor) {
  const std::string log = ::testing::TempDir() + "/detached_" + std::to_string(::getpid()) + ".log";
  const pid_t pid = spawn_detached({"sh", "-c", "echo started; ls /proc/self/fd"}, log);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  // stdin, stdout, stderr, and the descriptor `ls` opens to read the directory.
  EXPECT_EQ(text.str(), "started\n0\n1\n2\n3\n");
  std::remove(log.c_str());
}

TEST(CommandRunner, DetachedStartFailureThrows) {
  EXPECT_THROW(spawn_detached({"/nonexistent/daemon"}, "/tmp/oc-lab-test-unused.log"), LabError);
  std::remove("/tmp/oc-lab-test-unused.log");
}

}  // namespace
}  // namespace overcast::cli::lab
