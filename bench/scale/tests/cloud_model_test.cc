#include "bench/scale/load/cloud_model.h"

#include <gtest/gtest.h>

namespace overcast::bench {
namespace {

using Keys = std::vector<std::string>;

TEST(CloudModelTest, IdealViewHoldsOnlyNetworksPresentOnTheHost) {
  CloudModel model;
  ASSERT_TRUE(model.add_port("p1", "n1", "h1"));
  ASSERT_TRUE(model.add_port("p2", "n1", "h2"));
  ASSERT_TRUE(model.add_port("p3", "n2", "h2"));
  EXPECT_EQ(model.ideal_keys("h1"), (Keys{"lport/p1", "net/n1", "rport/p2"}));
  EXPECT_EQ(model.ideal_keys("h2"), (Keys{"lport/p2", "lport/p3", "net/n1", "net/n2", "rport/p1"}));
  EXPECT_EQ(model.ideal_entries("h1"), 3u);
  EXPECT_EQ(model.ideal_entries("h2"), 5u);
  EXPECT_EQ(model.ideal_entries("h3"), 0u);
  EXPECT_TRUE(model.ideal_keys("h3").empty());
}

TEST(CloudModelTest, SubnetsAreInTheViewOfEveryHostOfTheirNetwork) {
  CloudModel model;
  ASSERT_TRUE(model.add_subnet("s1", "n1"));
  ASSERT_TRUE(model.add_subnet("s2", "n2"));
  EXPECT_FALSE(model.add_subnet("s1", "n2"));
  model.add_port("p1", "n1", "h1");
  EXPECT_EQ(model.ideal_keys("h1"), (Keys{"lport/p1", "net/n1", "subnet/s1"}));
  EXPECT_EQ(model.ideal_entries("h1"), 3u);
  ASSERT_TRUE(model.remove_port("p1"));
  EXPECT_TRUE(model.ideal_keys("h1").empty());
}

TEST(CloudModelTest, AHostHoldsTheSecurityGroupsOfItsOwnPortsOnly) {
  CloudModel model;
  model.add_port("p1", "n1", "h1", {"g1"});
  model.add_port("p2", "n1", "h2", {"g1", "g2"});
  EXPECT_EQ(model.ideal_keys("h1"), (Keys{"lport/p1", "net/n1", "rport/p2", "sg/g1", "sgm/g1"}));
  EXPECT_EQ(model.ideal_entries("h2"), 7u);
  ASSERT_TRUE(model.move_port("p2", "h1"));
  EXPECT_EQ(model.ideal_keys("h1"),
            (Keys{"lport/p1", "lport/p2", "net/n1", "sg/g1", "sg/g2", "sgm/g1", "sgm/g2"}));
  EXPECT_TRUE(model.ideal_keys("h2").empty());
}

TEST(CloudModelTest, MoveAndRemoveKeepTheIndexesInStep) {
  CloudModel model;
  model.add_port("p1", "n1", "h1");
  model.add_port("p2", "n1", "h2");
  ASSERT_TRUE(model.move_port("p1", "h3"));
  EXPECT_EQ(model.hosts_of("n1"), (Keys{"h2", "h3"}));
  EXPECT_TRUE(model.ideal_keys("h1").empty());
  EXPECT_EQ(*model.host_of("p1"), "h3");
  ASSERT_TRUE(model.remove_port("p2"));
  EXPECT_EQ(model.hosts_of("n1"), (Keys{"h3"}));
  EXPECT_EQ(model.ideal_keys("h3"), (Keys{"lport/p1", "net/n1"}));
  EXPECT_EQ(model.ports(), 1u);
  EXPECT_EQ(model.host_of("p2"), nullptr);
}

TEST(CloudModelTest, RefusesCallsThatMakeNoSense) {
  CloudModel model;
  model.add_port("p1", "n1", "h1");
  EXPECT_FALSE(model.add_port("p1", "n2", "h2"));
  EXPECT_FALSE(model.move_port("p1", "h1"));
  EXPECT_FALSE(model.move_port("nope", "h1"));
  EXPECT_FALSE(model.remove_port("nope"));
  EXPECT_EQ(model.ideal_entries("h1"), 2u);
  EXPECT_EQ(model.ideal_entries("h2"), 0u);
}

TEST(CloudModelTest, ConcernedHostsAreTheUnionBeforeAndAfter) {
  EXPECT_EQ(concerned_hosts({"h2", "h1"}, {"h3", "h1"}), (Keys{"h1", "h2", "h3"}));
  EXPECT_EQ(concerned_hosts({}, {"h1"}), (Keys{"h1"}));
  EXPECT_TRUE(concerned_hosts({}, {}).empty());
}

}  // namespace
}  // namespace overcast::bench
