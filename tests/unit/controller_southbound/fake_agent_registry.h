// A fake AgentRegistry that behaves like the model's: registration records the host
// and, when its underlay IP is new or changed, tells the TopologyListener.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "controller/model/agent_registry.h"
#include "controller/topology/topology_listener.h"

namespace overcast::controller::testing {

class FakeAgentRegistry : public AgentRegistry {
 public:
  void set_listener(TopologyListener* listener) {
    std::lock_guard lock(mu_);
    listener_ = listener;
  }
  void refuse_with(const std::string& reason) {
    std::lock_guard lock(mu_);
    refusal_ = reason;
  }

  bool register_agent(const AgentRegistration& registration, std::string& error) override {
    TopologyListener* notify = nullptr;
    {
      std::lock_guard lock(mu_);
      ++registrations_;
      last_registration_ = registration;
      if (!refusal_.empty()) {
        error = refusal_;
        return false;
      }
      auto& ip = ips_[registration.host];
      if (ip != registration.underlay_ip) {
        ip = registration.underlay_ip;
        notify = listener_;
      }
    }
    if (notify != nullptr) {
      ChangeSet changes;
      changes.hosts = {HostFacts{registration.host, registration.underlay_ip}};
      notify->apply(changes);
    }
    return true;
  }
  void agent_heartbeat(const std::string& host) override {
    std::lock_guard lock(mu_);
    ++heartbeats_[host];
  }
  void agent_disconnected(const std::string& host) override {
    std::lock_guard lock(mu_);
    ++disconnects_[host];
  }
  void set_port_status(const std::string& port_id, bool up) override {
    std::lock_guard lock(mu_);
    port_up_[port_id] = up;
  }

  int registrations() const {
    std::lock_guard lock(mu_);
    return registrations_;
  }
  AgentRegistration last_registration() const {
    std::lock_guard lock(mu_);
    return last_registration_;
  }
  int heartbeats(const std::string& host) const {
    std::lock_guard lock(mu_);
    auto it = heartbeats_.find(host);
    return it == heartbeats_.end() ? 0 : it->second;
  }
  int disconnects(const std::string& host) const {
    std::lock_guard lock(mu_);
    auto it = disconnects_.find(host);
    return it == disconnects_.end() ? 0 : it->second;
  }
  // -1 unknown, 0 down, 1 up
  int port_status(const std::string& port_id) const {
    std::lock_guard lock(mu_);
    auto it = port_up_.find(port_id);
    return it == port_up_.end() ? -1 : it->second ? 1 : 0;
  }
  void forget_port_statuses() {
    std::lock_guard lock(mu_);
    port_up_.clear();
  }

 private:
  mutable std::mutex mu_;
  TopologyListener* listener_ = nullptr;
  std::string refusal_;
  int registrations_ = 0;
  AgentRegistration last_registration_;
  std::map<std::string, std::string> ips_;
  std::map<std::string, int> heartbeats_, disconnects_;
  std::map<std::string, bool> port_up_;
};

// Waits for a condition that another thread makes true. The bound only keeps a
// broken build from hanging; it is not a performance assertion.
template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::seconds bound = std::chrono::seconds(30)) {
  auto give_up = std::chrono::steady_clock::now() + bound;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace overcast::controller::testing
