// A real AgentViewSink over the fake port driver, keeping every table it publishes:
// the base of the tests that check what a view compiles into.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/view/agent_view_sink.h"
#include "view_test_util.h"

namespace overcast::agent::viewtest {

class TableCaptureTest : public ::testing::Test {
 protected:
  using Table = std::shared_ptr<const dataplane::ForwardingTable>;

  TableCaptureTest() : sink_(driver_, [this](Table t) { tables_.push_back(std::move(t)); }) {}

  // Applies `entries` as a snapshot (it must be accepted) and returns the table it made.
  const dataplane::ForwardingTable& apply(const std::vector<sb::ViewEntry>& entries) {
    std::string reason;
    EXPECT_TRUE(sink_.apply_snapshot(entries, reason)) << reason;
    return *tables_.back();
  }

  FakePortDriver driver_;
  std::vector<Table> tables_;
  AgentViewSink sink_;
};

}  // namespace overcast::agent::viewtest
