// Counters an operator reads: written by one worker thread, read by any thread.
// Single writer, so an increment is a relaxed load + store (no locked RMW).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <vector>

namespace overcast::dataplane {

class Counter {
 public:
  void add(uint64_t n) { value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A stage's named counters, fixed at construction (no allocation afterwards).
// Index them with the stage's own enum.
class CounterSet {
 public:
  CounterSet(std::initializer_list<const char*> names)
      : names_(names), values_(std::make_unique<Counter[]>(names.size())) {}

  void add(size_t index, uint64_t n) {
    if (n) values_[index].add(n);
  }
  uint64_t value(size_t index) const { return values_[index].value(); }
  size_t size() const { return names_.size(); }
  std::string_view name(size_t index) const { return names_[index]; }

 private:
  std::vector<const char*> names_;
  std::unique_ptr<Counter[]> values_;
};

}  // namespace overcast::dataplane
