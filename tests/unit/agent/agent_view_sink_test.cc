#include "agent/view/agent_view_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Table = std::shared_ptr<const dataplane::ForwardingTable>;

class AgentViewSinkTest : public ::testing::Test {
 protected:
  AgentViewSinkTest() : sink_(driver_, [this](Table t) { published_.push_back(std::move(t)); }) {}

  std::vector<sb::ViewEntry> base_view() {
    return {network("n1", 100, {"192.0.2.2"}), local_port("p1", "n1", 100, "fa:16:3e:00:00:01", {"10.0.0.1"}),
            remote_port("r1", "n1", 100, "fa:16:3e:00:00:02", "192.0.2.2", {"10.0.0.2"})};
  }

  std::vector<std::pair<std::string, bool>> status_changes() {
    std::vector<std::pair<std::string, bool>> out;
    for (const auto& s : sink_.take_port_status_changes()) out.emplace_back(s.port_id(), s.up());
    return out;
  }

  FakePortDriver driver_;
  std::vector<Table> published_;
  AgentViewSink sink_;
};

TEST_F(AgentViewSinkTest, SnapshotOpensPortsAndPublishesATable) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(base_view(), reason)) << reason;
  EXPECT_THAT(driver_.opened, ElementsAre("tapp1"));
  ASSERT_EQ(published_.size(), 1u);
  EXPECT_EQ(published_[0]->version, 1u);
  EXPECT_EQ(sink_.view().size(), 3u);
  EXPECT_EQ(sink_.stats().snapshots, 1u);
  EXPECT_EQ(driver_.last_spec["p1"].mtu, 1450u);  // the network's MTU
  EXPECT_EQ(driver_.last_spec["p1"].mac.to_string(), "fa:16:3e:00:00:01");
}

TEST_F(AgentViewSinkTest, InvalidSnapshotIsNackedAndChangesNothing) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(base_view(), reason));
  auto before = sink_.view();
  size_t opened = driver_.opened.size();

  auto bad = base_view();
  bad.push_back(local_port("p2", "n1", 100, "not-a-mac"));
  bad[0] = network("n1", 100, {"192.0.2.2"});
  bad.push_back(network("n9", 900));
  EXPECT_FALSE(sink_.apply_snapshot(bad, reason));
  EXPECT_THAT(reason, HasSubstr("lport/p2: mac 'not-a-mac'"));
  EXPECT_EQ(sink_.view().size(), before.size());
  EXPECT_EQ(sink_.view().count("net/n9"), 0u);
  EXPECT_EQ(driver_.opened.size(), opened);
  EXPECT_THAT(driver_.destroyed, IsEmpty());
  EXPECT_EQ(published_.size(), 1u);
  EXPECT_EQ(sink_.stats().nacks, 1u);
  EXPECT_THAT(sink_.stats().last_nack, HasSubstr("lport/p2"));
}

TEST_F(AgentViewSinkTest, DuplicateKeyInSnapshotIsNacked) {
  auto view = base_view();
  view.push_back(network("n1", 100));
  std::string reason;
  EXPECT_FALSE(sink_.apply_snapshot(view, reason));
  EXPECT_THAT(reason, HasSubstr("net/n1: key appears twice"));
  EXPECT_TRUE(sink_.view().empty());
  EXPECT_TRUE(published_.empty());
}

TEST_F(AgentViewSinkTest, InvalidDeltaIsNackedAndChangesNothing) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(base_view(), reason));
  // The delta removes p1 (which would destroy its TAP) but also brings a bad entry.
  EXPECT_FALSE(sink_.apply_delta({remote_port("r2", "n1", 100, "fa:16:3e:00:00:09", "fe80::1")}, {"lport/p1"}, reason));
  EXPECT_THAT(reason, HasSubstr("rport/r2: vtep_ip"));
  EXPECT_EQ(sink_.view().count("lport/p1"), 1u);
  EXPECT_THAT(driver_.destroyed, IsEmpty());
  EXPECT_EQ(published_.size(), 1u);

  // Valid entries one by one, but together two local ports would share a TAP.
  EXPECT_FALSE(sink_.apply_delta({local_port("pppppppppppA", "n1", 100, "fa:16:3e:00:00:05"),
                                  local_port("pppppppppppB", "n1", 100, "fa:16:3e:00:00:06")},
                                 {}, reason));
  EXPECT_THAT(reason, HasSubstr("tap_name '" + tap_name_for("pppppppppppA") + "' is also used by"));
  EXPECT_FALSE(sink_.apply_delta({}, {"bogus"}, reason));
  EXPECT_EQ(sink_.view().size(), 3u);
  EXPECT_EQ(published_.size(), 1u);
  EXPECT_EQ(sink_.stats().deltas, 0u);
}

TEST_F(AgentViewSinkTest, DeltaAddsAndRemovesPorts) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(base_view(), reason));
  ASSERT_TRUE(sink_.apply_delta({local_port("p2", "n1", 100, "fa:16:3e:00:00:03")}, {"lport/p1"}, reason)) << reason;
  EXPECT_THAT(driver_.destroyed, ElementsAre("tapp1"));
  EXPECT_THAT(driver_.opened, ElementsAre("tapp1", "tapp2"));
  EXPECT_EQ(sink_.view().count("lport/p1"), 0u);
  EXPECT_EQ(sink_.view().count("lport/p2"), 1u);
  ASSERT_EQ(published_.size(), 2u);
  EXPECT_EQ(published_[1]->version, 2u);
  // Removing a key that is not there is harmless.
  EXPECT_TRUE(sink_.apply_delta({}, {"rport/never-seen"}, reason)) << reason;
}

TEST_F(AgentViewSinkTest, PortStatusChangesAreReportedOnce) {
  driver_.failing.insert("tapp2");
  auto view = base_view();
  view.push_back(local_port("p2", "n1", 100, "fa:16:3e:00:00:03"));
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(view, reason));
  EXPECT_THAT(status_changes(), ElementsAre(std::pair<std::string, bool>{"p1", true},
                                            std::pair<std::string, bool>{"p2", false}));
  EXPECT_THAT(status_changes(), IsEmpty());
  EXPECT_EQ(sink_.view_json()["local_ports"][1]["status"], "down");
  EXPECT_THAT(sink_.view_json()["local_ports"][1]["error"].get<std::string>(), HasSubstr("fake"));

  // Still failing: no change, no new table.
  size_t tables = published_.size();
  sink_.retry_down_ports();
  EXPECT_THAT(status_changes(), IsEmpty());
  EXPECT_EQ(published_.size(), tables);

  driver_.failing.clear();
  sink_.retry_down_ports();
  EXPECT_THAT(status_changes(), ElementsAre(std::pair<std::string, bool>{"p2", true}));
  ASSERT_EQ(published_.size(), tables + 1);
  EXPECT_NE(published_.back()->find_port(1), nullptr);

  // A removed port is forgotten, not reported down (it may be up elsewhere now).
  ASSERT_TRUE(sink_.apply_delta({}, {"lport/p2"}, reason));
  EXPECT_THAT(status_changes(), IsEmpty());
}

TEST_F(AgentViewSinkTest, FailedPortIsRetriedOnTheNextApply) {
  driver_.failing.insert("tapp1");
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(base_view(), reason));
  EXPECT_EQ(published_.back()->find_port(0), nullptr);
  driver_.failing.clear();
  ASSERT_TRUE(sink_.apply_delta({network("n1", 100, {"192.0.2.2", "192.0.2.3"})}, {}, reason));
  EXPECT_NE(published_.back()->find_port(0), nullptr);
  EXPECT_THAT(driver_.opened, ElementsAre("tapp1", "tapp1"));
}

TEST_F(AgentViewSinkTest, VanishedDeviceGoesDownAndIsReopened) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(base_view(), reason));
  EXPECT_THAT(status_changes(), ElementsAre(std::pair<std::string, bool>{"p1", true}));
  driver_.vanished.insert("tapp1");
  driver_.failing.insert("tapp1");
  sink_.retry_down_ports();
  EXPECT_THAT(status_changes(), ElementsAre(std::pair<std::string, bool>{"p1", false}));
  EXPECT_EQ(published_.back()->find_port(0), nullptr);
  driver_.vanished.clear();
  driver_.failing.clear();
  sink_.retry_down_ports();
  EXPECT_THAT(status_changes(), ElementsAre(std::pair<std::string, bool>{"p1", true}));
  EXPECT_NE(published_.back()->find_port(0), nullptr);
}

TEST_F(AgentViewSinkTest, ViewJsonShowsSummaryAndEntries) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(base_view(), reason));
  auto j = sink_.view_json();
  EXPECT_EQ(j["summary"]["networks"], 1);
  EXPECT_EQ(j["summary"]["local_ports"], 1);
  EXPECT_EQ(j["summary"]["local_ports_up"], 1);
  EXPECT_EQ(j["summary"]["remote_ports"], 1);
  EXPECT_EQ(j["local_ports"][0]["tap_name"], "tapp1");
  EXPECT_EQ(j["local_ports"][0]["slot"], 0);
  EXPECT_EQ(j["remote_ports"][0]["vtep_ip"], "192.0.2.2");
  EXPECT_EQ(j["networks"][0]["flood_vteps"][0], "192.0.2.2");
}

TEST(AgentViewSinkPersistenceTest, SavedViewIsRestoredByTheNextSink) {
  std::string dir = ::testing::TempDir() + "/oc-a2-view-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string file = dir + "/view.pb";
  {
    FakePortDriver driver;
    AgentViewSink first(driver, [](Table) {}, file);
    std::string reason;
    ASSERT_TRUE(first.apply_snapshot({network("n1", 7), local_port("p1", "n1", 7, "fa:16:3e:00:00:01")}, reason));
  }
  FakePortDriver driver;
  std::vector<Table> published;
  AgentViewSink second(driver, [&](Table t) { published.push_back(t); }, file);
  std::string error;
  EXPECT_TRUE(second.restore(error)) << error;
  EXPECT_EQ(second.view().size(), 2u);
  EXPECT_THAT(driver.opened, ElementsAre("tapp1"));
  ASSERT_EQ(published.size(), 1u);
  EXPECT_NE(published[0]->find_segment(7), nullptr);

  // A corrupt file is an error, and the sink stays empty.
  { std::ofstream(file, std::ios::trunc) << "\xff\xff\xff garbage"; }
  AgentViewSink third(driver, [](Table) {}, file);
  EXPECT_FALSE(third.restore(error));
  EXPECT_TRUE(third.view().empty());
  std::filesystem::remove_all(dir);

  // No file at all is fine.
  AgentViewSink fourth(driver, [](Table) {}, file);
  EXPECT_TRUE(fourth.restore(error)) << error;
}

}  // namespace
}  // namespace overcast::agent
