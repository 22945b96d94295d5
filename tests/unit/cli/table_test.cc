#include "cli/main/table.h"

#include <gtest/gtest.h>

#include "cli/main/output.h"

namespace overcast::cli {
namespace {

TEST(TableTest, AlignsColumnsToWidestCell) {
  Table table({"ID", "Name"});
  table.add_row({"n1", "web"});
  table.add_row({"network-22", "db"});
  EXPECT_EQ(table.render(),
            "+------------+------+\n"
            "| ID         | Name |\n"
            "+------------+------+\n"
            "| n1         | web  |\n"
            "| network-22 | db   |\n"
            "+------------+------+\n");
}

TEST(TableTest, EmptyTableShowsHeaderOnly) {
  Table table({"ID", "Name"});
  EXPECT_EQ(table.render(),
            "+----+------+\n"
            "| ID | Name |\n"
            "+----+------+\n");
}

TEST(TableTest, MultiLineCellsStackInsideTheRow) {
  Table table({"Port", "Fixed IPs"});
  table.add_row({"p1", "10.0.0.5\n2001:db8::5"});
  EXPECT_EQ(table.render(),
            "+------+-------------+\n"
            "| Port | Fixed IPs   |\n"
            "+------+-------------+\n"
            "| p1   | 10.0.0.5    |\n"
            "|      | 2001:db8::5 |\n"
            "+------+-------------+\n");
}

TEST(TableTest, MissingCellsPrintEmptyAndExtraAreDropped) {
  Table table({"A", "B"});
  table.add_row({"x"});
  table.add_row({"1", "2", "3"});
  EXPECT_EQ(table.render(),
            "+---+---+\n"
            "| A | B |\n"
            "+---+---+\n"
            "| x |   |\n"
            "| 1 | 2 |\n"
            "+---+---+\n");
}

TEST(TableTest, Utf8CountsCodePointsAndControlCharsAreMasked) {
  EXPECT_EQ(display_width("réseau"), 6u);
  Table table({"Name"});
  table.add_row({"réseau"});
  table.add_row({"a\tb\x1b"});
  EXPECT_EQ(table.render(),
            "+--------+\n"
            "| Name   |\n"
            "+--------+\n"
            "| réseau |\n"
            "| a?b?   |\n"
            "+--------+\n");
}

TEST(CellTextTest, FormatsJsonValues) {
  using nlohmann::json;
  EXPECT_EQ(cell_text(nullptr), "");
  EXPECT_EQ(cell_text("web"), "web");
  EXPECT_EQ(cell_text(1450), "1450");
  EXPECT_EQ(cell_text(true), "True");
  EXPECT_EQ(cell_text(false), "False");
  EXPECT_EQ(cell_text(json::array({"a", "b"})), "a\nb");
  EXPECT_EQ(cell_text(json{{"start", "10.0.0.2"}, {"end", "10.0.0.9"}}), "10.0.0.2-10.0.0.9");
  EXPECT_EQ(cell_text(json{{"ip_address", "10.0.0.5"}, {"subnet_id", "s1"}}),
            "ip_address='10.0.0.5', subnet_id='s1'");
  EXPECT_EQ(cell_text(json{{"tunnel_types", {"vxlan", "geneve"}}, {"x", {{"a", 1}}}}),
            "tunnel_types='vxlan,geneve', x='{\"a\":1}'");
  EXPECT_EQ(field_text(json{{"a", 1}}, "missing"), "");
  EXPECT_EQ(field_text(json::array(), "a"), "");
}

}  // namespace
}  // namespace overcast::cli
