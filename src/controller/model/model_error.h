// Errors of the logical model as values: an HTTP status and Neutron's error type, so
// the API layer renders them without knowing each failure.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace overcast::controller {

struct ModelError {
  int http_status = 400;
  std::string type;     // Neutron's exception name: "NetworkNotFound", "MacAddressInUse", ...
  std::string message;  // names the field or the resource concerned

  static ModelError bad_request(std::string message) {
    return {400, "BadRequest", std::move(message)};
  }
  static ModelError not_found(std::string type, std::string message) {
    return {404, std::move(type), std::move(message)};
  }
  static ModelError conflict(std::string type, std::string message) {
    return {409, std::move(type), std::move(message)};
  }
};

// A value or the ModelError that prevented it.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}           // NOLINT: implicit on purpose
  Result(ModelError error) : value_(std::move(error)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<T>(value_); }
  T& value() { return std::get<T>(value_); }
  const ModelError& error() const { return std::get<ModelError>(value_); }

 private:
  std::variant<T, ModelError> value_;
};

// For operations with nothing to return.
using Status = std::optional<ModelError>;

}  // namespace overcast::controller
