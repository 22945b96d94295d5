#include "cli/main/table.h"

#include <algorithm>
#include <sstream>

namespace overcast::cli {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string::size_type start = 0;
  while (true) {
    const auto end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// Control characters (a tab, an escape sequence in a name someone stored) would break the
// alignment or the terminal; show them as '?'.
std::string printable(std::string line) {
  for (char& c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return line;
}

}  // namespace

size_t display_width(const std::string& text) {
  size_t width = 0;
  for (const unsigned char c : text) {
    if ((c & 0xc0) != 0x80) ++width;  // skip UTF-8 continuation bytes
  }
  return width;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::render() const {
  const size_t columns = headers_.size();
  // Every row, the header first, already split into printable lines per cell.
  std::vector<std::vector<std::vector<std::string>>> grid;
  grid.reserve(rows_.size() + 1);
  auto add = [&](const std::vector<std::string>& row) {
    std::vector<std::vector<std::string>> cells;
    for (const auto& cell : row) {
      auto lines = split_lines(cell);
      for (auto& line : lines) line = printable(std::move(line));
      cells.push_back(std::move(lines));
    }
    grid.push_back(std::move(cells));
  };
  add(headers_);
  for (const auto& row : rows_) add(row);

  std::vector<size_t> widths(columns, 0);
  for (const auto& row : grid) {
    for (size_t c = 0; c < columns; ++c) {
      for (const auto& line : row[c]) widths[c] = std::max(widths[c], display_width(line));
    }
  }

  std::ostringstream out;
  auto rule = [&] {
    out << '+';
    for (size_t c = 0; c < columns; ++c) out << std::string(widths[c] + 2, '-') << '+';
    out << '\n';
  };
  auto print_row = [&](const std::vector<std::vector<std::string>>& row) {
    size_t height = 1;
    for (const auto& cell : row) height = std::max(height, cell.size());
    for (size_t l = 0; l < height; ++l) {
      out << '|';
      for (size_t c = 0; c < columns; ++c) {
        const std::string line = l < row[c].size() ? row[c][l] : std::string();
        out << ' ' << line << std::string(widths[c] - display_width(line), ' ') << " |";
      }
      out << '\n';
    }
  };
  rule();
  print_row(grid.front());
  rule();
  for (size_t r = 1; r < grid.size(); ++r) print_row(grid[r]);
  if (grid.size() > 1) rule();
  return out.str();
}

}  // namespace overcast::cli
