#include "agent/sync/port_status_book.h"

#include <gtest/gtest.h>

namespace overcast::agent {
namespace {

sb::PortStatus status(const std::string& id, bool up) {
  sb::PortStatus s;
  s.set_port_id(id);
  s.set_up(up);
  return s;
}

sb::ViewEntry entry(const std::string& key) {
  sb::ViewEntry e;
  e.set_key(key);
  return e;
}

TEST(PortStatusBookTest, KeepsTheLatestStatusOfEachPort) {
  PortStatusBook book;
  book.record({status("p1", false), status("p2", true), status("p1", true), status("", true)});
  auto report = book.full_report();
  ASSERT_EQ(report.ports_size(), 2);
  EXPECT_EQ(report.ports(0).port_id(), "p1");
  EXPECT_TRUE(report.ports(0).up());
  EXPECT_EQ(report.ports(1).port_id(), "p2");
}

TEST(PortStatusBookTest, ForgetsPortsThatLeftTheView) {
  PortStatusBook book;
  book.record({status("p1", true), status("p2", true), status("p3", true)});
  book.forget_removed({"lport/p1", "rport/p2", "net/p3"});
  EXPECT_EQ(book.size(), 2u);
  book.retain_snapshot({entry("lport/p3"), entry("rport/p2")});
  ASSERT_EQ(book.size(), 1u);
  EXPECT_EQ(book.full_report().ports(0).port_id(), "p3");
}

}  // namespace
}  // namespace overcast::agent
