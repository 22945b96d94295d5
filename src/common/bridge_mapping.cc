#include "common/bridge_mapping.h"

#include <algorithm>

namespace overcast {

namespace {
constexpr size_t kMaxPhysnetLength = 64;
constexpr size_t kMaxInterfaceLength = 15;  // IFNAMSIZ - 1

bool has_blank(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0'; });
}
}  // namespace

std::optional<BridgeMapping> parse_bridge_mapping(std::string_view text, std::string& error) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    error = "bridge mapping '" + std::string(text) + "' is not PHYSNET:INTERFACE";
    return std::nullopt;
  }
  std::string_view physnet = text.substr(0, colon);
  std::string_view iface = text.substr(colon + 1);
  if (physnet.empty() || physnet.size() > kMaxPhysnetLength || has_blank(physnet)) {
    error = "bridge mapping '" + std::string(text) + "': physical network must be 1..64 characters without blanks";
    return std::nullopt;
  }
  if (iface.empty() || iface.size() > kMaxInterfaceLength || has_blank(iface) ||
      iface.find_first_of("/:") != std::string_view::npos || iface == "." || iface == "..") {
    error = "bridge mapping '" + std::string(text) +
            "': interface must be a Linux interface name (1..15 characters, no '/', ':' or blanks)";
    return std::nullopt;
  }
  return BridgeMapping{std::string(physnet), std::string(iface)};
}

}  // namespace overcast
