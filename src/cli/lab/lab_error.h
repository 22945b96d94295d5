// The one error type of the lab: a message an operator can act on (which command failed,
// what it printed, what to try). Thrown inside the lab, caught once in lab_commands.cc.
#pragma once

#include <stdexcept>
#include <string>

namespace overcast::cli::lab {

class LabError : public std::runtime_error {
 public:
  explicit LabError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace overcast::cli::lab
