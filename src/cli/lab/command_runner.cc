#include "cli/lab/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <linux/close_range.h>

#include "cli/lab/lab_error.h"

namespace overcast::cli::lab {
namespace {

// execvp wants char* const*; built before fork so the child only calls
// async-signal-safe functions.
std::vector<char*> to_c_argv(const Argv& argv) {
  std::vector<char*> out;
  out.reserve(argv.size() + 1);
  for (const auto& arg : argv) out.push_back(const_cast<char*>(arg.c_str()));
  out.push_back(nullptr);
  return out;
}

void close_descriptors_from(int first) {
  if (::close_range(static_cast<unsigned>(first), ~0U, 0) != 0) {
    for (int fd = first; fd < 1024; ++fd) ::close(fd);
  }
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

std::string system_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// Drains both pipes until the child closes them; poll() so a child that fills its
// stderr while we wait on stdout cannot deadlock us.
void read_both(int out_fd, int err_fd, std::string& out, std::string& err) {
  std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&out, &err};
  int open_count = 2;
  char buffer[4096];
  while (open_count > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

}  // namespace

std::string format_command(const Argv& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`*?&|;<>()") ==
                                           std::string::npos;
    if (plain) {
      text += arg;
    } else {
      text += '\'';
      for (char c : arg) text += (c == '\'') ? std::string("'\\''") : std::string(1, c);
      text += '\'';
    }
  }
  return text;
}

CommandResult run_command(const Argv& argv) {
  if (argv.empty()) throw LabError("internal error: empty command");
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw LabError(system_error("pipe"));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw LabError(system_error("pipe"));
  }
  auto c_argv = to_c_argv(argv);
  const pid_t pid = ::fork();
  if (pid < 0) throw LabError(system_error("fork"));
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    close_descriptors_from(3);
    ::execvp(c_argv[0], c_argv.data());
    const char* reason = std::strerror(errno);
    (void)!::write(STDERR_FILENO, "cannot execute: ", 16);
    (void)!::write(STDERR_FILENO, reason, std::strlen(reason));
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  CommandResult result;
  read_both(out_pipe[0], err_pipe[0], result.out, result.err);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = decode_wait_status(status);
  return result;
}

std::string run_checked(const Argv& argv) {
  CommandResult result = run_command(argv);
  if (!result.ok()) {
    std::string err = result.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    throw LabError("command `" + format_command(argv) + "` failed (exit " +
                   std::to_string(result.exit_code) + ")" + (err.empty() ? "" : ": " + err));
  }
  return result.out;
}

pid_t spawn_detached(const Argv& argv, const std::string& log_path) {
  if (argv.empty()) throw LabError("internal error: empty command");
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log_fd < 0) throw LabError(system_error("cannot open log file " + log_path));
  // The child reports a failed exec through this pipe; a successful exec closes it.
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    ::close(log_fd);
    throw LabError(system_error("pipe"));
  }
  auto c_argv = to_c_argv(argv);
  const pid_t pid = ::fork();
  if (pid < 0) throw LabError(system_error("fork"));
  if (pid == 0) {
    ::setsid();
    ::signal(SIGPIPE, SIG_DFL);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    // Keep only stdio and the status pipe (it is close-on-exec).
    const int keep = status_pipe[1];
    for (int fd = 3; fd < keep; ++fd) ::close(fd);
    close_descriptors_from(keep + 1);
    ::execvp(c_argv[0], c_argv.data());
    const int error = errno;
    (void)!::write(keep, &error, sizeof error);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(status_pipe[1]);
  int child_errno = 0;
  ssize_t n;
  while ((n = ::read(status_pipe[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
  }
  ::close(status_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw LabError("cannot start `" + format_command(argv) + "`: " + std::strerror(child_errno));
  }
  return pid;
}

void exec_replacing_self(const Argv& argv) {
  if (argv.empty()) throw LabError("internal error: empty command");
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  auto c_argv = to_c_argv(argv);
  ::execvp(c_argv[0], c_argv.data());
  throw LabError(system_error("cannot execute `" + format_command(argv) + "`"));
}

}  // namespace overcast::cli::lab
