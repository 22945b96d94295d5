#include "bench/scale/main/churn_phase.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace overcast::bench {

namespace {

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

struct InFlight {
  std::string port;
  bool touches_stalled = false;
  std::vector<size_t> hosts;  // fleet indexes still to apply it
  Clock::time_point sent, answered, last_applied;
};

class Churn {
 public:
  Churn(const ScaleOptions& options, const std::vector<BuiltNetwork>& networks, NeutronLoad& api,
        HostFleet& fleet, CloudModel& model)
      : options_(options), networks_(networks), api_(api), fleet_(fleet), model_(model),
        rng_(options.shape.seed ^ 0x5eed), stalled_(std::min(options.stalled_hosts, fleet.size())) {
    for (size_t i = 0; i < fleet.size(); ++i) host_index_[fleet.host(i).name] = i;
    candidates_ = model.port_ids();
  }

  ChurnResult run() {
    fleet_.record_touches(true);
    for (size_t h = 0; h < stalled_; ++h) fleet_.host(h).sink->stall();
    const auto start = Clock::now();
    const auto period = std::chrono::duration<double>(1.0 / std::max(0.001, options_.churn_rate));
    const auto total = static_cast<size_t>(options_.churn_rate * options_.churn_seconds);
    for (size_t i = 0; i < total; ++i) {
      const auto due = start + std::chrono::duration_cast<Clock::duration>(period * static_cast<double>(i));
      settle(Clock::now());
      std::this_thread::sleep_until(due);
      one_change();
    }
    result_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result_.achieved_rate = result_.seconds > 0 ? static_cast<double>(result_.changes) / result_.seconds : 0;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options_.settle_timeout_s));
    while (!in_flight_.empty() && Clock::now() < deadline) {
      settle(Clock::now());
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    result_.unsettled = in_flight_.size();
    fleet_.record_touches(false);
    if (stalled_ > 0) catch_up(deadline);
    return std::move(result_);
  }

 private:
  void catch_up(Clock::time_point deadline) {
    const auto released = Clock::now();
    for (size_t h = 0; h < stalled_; ++h) fleet_.host(h).sink->release();
    const auto give_up = std::max(deadline, released + std::chrono::seconds(30));
    auto behind = [&] {
      for (size_t h = 0; h < stalled_; ++h) {
        if (fleet_.host(h).sink->entries() != model_.ideal_entries(fleet_.host(h).name)) return true;
      }
      return false;
    };
    while (behind() && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    result_.stalled_caught_up = !behind();
    result_.stalled_catch_up_seconds = std::chrono::duration<double>(Clock::now() - released).count();
  }

  // Drops every host that has applied the change; a change no host still owes is done.
  void settle(Clock::time_point) {
    for (auto it = in_flight_.begin(); it != in_flight_.end();) {
      auto& change = *it;
      std::erase_if(change.hosts, [&](size_t h) {
        auto when = fleet_.host(h).sink->settled_since(change.port, change.sent);
        if (!when) return false;
        change.last_applied = std::max(change.last_applied, *when);
        return true;
      });
      if (!change.hosts.empty()) {
        ++it;
        continue;
      }
      const double latency = std::max(0.0, ms_between(change.answered, change.last_applied));
      result_.latency_ms.push_back(latency);
      if (change.touches_stalled) result_.latency_with_stalled_ms.push_back(latency);
      busy_.erase(change.port);
      if (model_.host_of(change.port) != nullptr) candidates_.push_back(change.port);
      it = in_flight_.erase(it);
    }
  }

  // A random idle port, taken out of the candidates; "" if none is idle.
  std::string take_port() {
    while (!candidates_.empty()) {
      std::uniform_int_distribution<size_t> pick(0, candidates_.size() - 1);
      const size_t i = pick(rng_);
      std::string port = std::move(candidates_[i]);
      candidates_[i] = std::move(candidates_.back());
      candidates_.pop_back();
      if (busy_.count(port) == 0 && model_.host_of(port) != nullptr) return port;
    }
    return "";
  }

  const std::string& random_host() {
    std::uniform_int_distribution<size_t> pick(0, fleet_.size() - 1);
    return fleet_.host(pick(rng_)).name;
  }

  void one_change() {
    std::uniform_int_distribution<int> kind(0, 2);
    int op = kind(rng_);
    std::string port;
    if (op != 0) {
      port = take_port();
      if (port.empty()) op = 0;  // nothing idle to move or delete: create instead
    }
    InFlight change;
    std::vector<std::string> before, after;
    try {
      if (op == 0) {
        std::uniform_int_distribution<size_t> pick(0, networks_.size() - 1);
        const auto& network = networks_[pick(rng_)];
        auto hosts = model_.hosts_of(network.id);
        std::string host = random_host();
        if (!hosts.empty()) {
          std::uniform_int_distribution<size_t> pick_host(0, hosts.size() - 1);
          host = hosts[pick_host(rng_)];
        }
        before = hosts;
        change.sent = Clock::now();
        CreatedPort created =
            api_.create_port({"churn-" + std::to_string(serial_++), network.project, network.id, host});
        change.answered = Clock::now();
        port = created.id;
        model_.add_port(port, network.id, host, std::move(created.security_groups));
        after = model_.hosts_of(network.id);
        ++result_.creates;
      } else {
        const std::string network = *model_.network_of(port);
        before = model_.hosts_of(network);
        if (op == 1) {
          std::string host = random_host();
          while (fleet_.size() > 1 && host == *model_.host_of(port)) host = random_host();
          change.sent = Clock::now();
          api_.move_port(port, host);
          change.answered = Clock::now();
          model_.move_port(port, host);
          ++result_.moves;
        } else {
          change.sent = Clock::now();
          api_.delete_port(port);
          change.answered = Clock::now();
          model_.remove_port(port);
          ++result_.deletes;
        }
        after = model_.hosts_of(network);
      }
    } catch (const LoadError& error) {
      if (result_.api_errors++ == 0) result_.first_api_error = error.what();
      if (!port.empty() && model_.host_of(port) != nullptr) candidates_.push_back(port);
      return;
    }
    ++result_.changes;
    result_.api_ms.push_back(ms_between(change.sent, change.answered));
    change.port = port;
    for (const auto& host : concerned_hosts(before, after)) {
      const size_t index = host_index_.at(host);
      if (index < stalled_) {
        change.touches_stalled = true;  // timed on the others; the stalled ones catch up later
      } else {
        change.hosts.push_back(index);
      }
    }
    if (change.touches_stalled) ++result_.changes_touching_stalled;
    result_.concerned_hosts.push_back(static_cast<double>(change.hosts.size()));
    change.last_applied = change.answered;
    busy_.insert(port);
    in_flight_.push_back(std::move(change));
  }

  const ScaleOptions& options_;
  const std::vector<BuiltNetwork>& networks_;
  NeutronLoad& api_;
  HostFleet& fleet_;
  CloudModel& model_;
  std::mt19937_64 rng_;
  const size_t stalled_;
  std::unordered_map<std::string, size_t> host_index_;
  std::vector<std::string> candidates_;
  std::unordered_set<std::string> busy_;
  std::vector<InFlight> in_flight_;
  size_t serial_ = 0;
  ChurnResult result_;
};

}  // namespace

ChurnResult run_churn(const ScaleOptions& options, const std::vector<BuiltNetwork>& networks, NeutronLoad& api,
                      HostFleet& fleet, CloudModel& model) {
  if (networks.empty() || fleet.size() == 0 || options.churn_seconds <= 0) return {};
  return Churn(options, networks, api, fleet, model).run();
}

}  // namespace overcast::bench
