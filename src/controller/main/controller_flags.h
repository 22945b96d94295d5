// The overcast-controller command line.
#pragma once

#include <cstdint>
#include <string>

#include "controller/store/sqlite_store.h"

namespace overcast::controller {

struct HostPort {
  std::string host;
  int port = 0;
};

struct ControllerFlags {
  HostPort api{"127.0.0.1", 9696};
  HostPort southbound{"0.0.0.0", 6641};
  std::string db_path = "/var/lib/overcast/controller.db";
  // "etcd://HOST:PORT,..." for a controller cluster sharing an etcd cluster; empty: the
  // SQLite file db_path (one controller).
  std::string store_url;
  std::string store_prefix = "/overcast";
  SyncMode db_sync = SyncMode::kNormal;
  uint32_t underlay_mtu = 1500;
  std::string log_level = "info";
};

// "HOST:PORT" or "[V6]:PORT"; port 0..65535 (0: any free port).
bool parse_host_port(const std::string& text, HostPort& out);

// Parses argv. Returns -1 to go on, or the exit code to leave with (0 after --help,
// 2 after a bad flag, with the message printed).
int parse_controller_flags(int argc, char** argv, ControllerFlags& flags);

}  // namespace overcast::controller
