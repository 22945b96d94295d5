#pragma once

namespace overcast::cli {

#ifndef OVERCAST_VERSION
#define OVERCAST_VERSION "unknown"
#endif
inline constexpr const char* kCliVersion = OVERCAST_VERSION;

}  // namespace overcast::cli
