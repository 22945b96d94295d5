// The agent's ViewSink: holds the current view (key -> entry) and keeps the VM
// port devices and the data plane's forwarding table in step with it.
//
// Every apply validates the whole resulting view first; on any error it returns
// false with a reason naming the entry and field, and nothing changes (view,
// devices, table). Otherwise it reconciles devices, builds a new table and hands
// it to `publish`, then (if a state file is set) saves the view for the next start.
//
// Thread safety: apply_* run on the southbound client's thread, retry_down_ports
// on a timer, view_json on the control socket's threads: one mutex serializes all.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/ports/port_driver.h"
#include "agent/sync/view_sink.h"
#include "agent/view/local_ports.h"
#include "agent/view/provider_uplinks.h"
#include "agent/view/security_group_policies.h"
#include "agent/view/view_validator.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::agent {

// Makes a table current in the data plane (Datapath::publish in the agent).
using TablePublisher = std::function<void(std::shared_ptr<const dataplane::ForwardingTable>)>;

struct ViewSinkStats {
  uint64_t snapshots = 0;  // applied
  uint64_t deltas = 0;     // applied
  uint64_t nacks = 0;
  std::string last_nack;
  uint64_t table_version = 0;  // of the last published table
};

class AgentViewSink final : public ViewSink {
 public:
  // `state_file`: where the view is saved after each apply ("" = not saved).
  // `uplinks`: the provider networks' uplinks this host can open (none by default).
  AgentViewSink(PortDriver& driver, TablePublisher publish, std::string state_file = "",
                ProviderUplinks uplinks = {});

  // This agent's host name: routers whose gateway_host it is are served here. Set
  // before the first view is applied.
  void set_local_host(std::string host) { local_host_ = std::move(host); }

  bool apply_snapshot(const std::vector<sb::ViewEntry>& entries, std::string& reason) override;
  bool apply_delta(const std::vector<sb::ViewEntry>& upserts, const std::vector<std::string>& removals,
                   std::string& reason) override;
  std::vector<sb::PortStatus> take_port_status_changes() override;

  // Applies the view saved by a previous run, if there is one. False with `error`
  // if a saved view exists but cannot be read or is invalid (the agent then starts
  // empty and waits for the controller).
  bool restore(std::string& error);
  // Notices devices that vanished and tries again to open the devices of ports that
  // are down; republishes if any port changed state.
  void retry_down_ports();

  // The view and port states for the control socket (shape in view_json.h).
  nlohmann::json view_json() const;
  ViewSinkStats stats() const;
  ViewMap view() const;

 private:
  bool commit(ViewMap candidate, std::string& reason);
  bool nack(const std::string& why, std::string& reason);
  void publish_table();

  mutable std::mutex mutex_;
  TablePublisher publish_;
  std::string state_file_;
  std::string local_host_;
  ViewMap view_;
  LocalPorts ports_;
  ProviderUplinks uplinks_;
  SecurityGroupPolicies security_groups_;
  ViewSinkStats stats_;
};

}  // namespace overcast::agent
