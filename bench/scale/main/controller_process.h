// The overcast-controller the bench measures: started with fork/exec on loopback
// ports and a database in the run's directory, stopped by its PID (SIGTERM, then
// SIGKILL after a grace period). Its output goes to <dir>/controller.log.
#pragma once

#include <sys/types.h>

#include <string>

namespace overcast::bench {

class ControllerProcess {
 public:
  ControllerProcess(const std::string& binary, const std::string& dir);
  ~ControllerProcess();  // stops it
  ControllerProcess(const ControllerProcess&) = delete;
  ControllerProcess& operator=(const ControllerProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const;
  void stop();
  const std::string& api_endpoint() const { return api_; }       // http://127.0.0.1:P
  const std::string& southbound() const { return southbound_; }  // 127.0.0.1:P
  const std::string& db_path() const { return db_; }

 private:
  pid_t pid_ = -1;
  std::string api_, southbound_, db_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0 and read it back).
int free_loopback_port();

}  // namespace overcast::bench
