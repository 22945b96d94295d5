// Aligned text tables in the style of the openstack client:
//   +------+-------+
//   | ID   | Name  |
//   +------+-------+
//   | n1   | web   |
//   +------+-------+
// A cell may hold several lines ('\n'); each prints on its own row inside the cell.
#pragma once

#include <string>
#include <vector>

namespace overcast::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Missing cells print empty; extra cells are an error of the caller and are dropped.
  void add_row(std::vector<std::string> cells);
  size_t row_count() const { return rows_.size(); }

  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Terminal columns a UTF-8 string takes, counting one per code point (good enough for
// names and addresses; no East Asian wide characters in the model's own fields).
size_t display_width(const std::string& text);

}  // namespace overcast::cli
