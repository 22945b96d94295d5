#include "cli/main/output.h"

#include "cli/main/table.h"

namespace overcast::cli {

using nlohmann::json;

Column field_column(std::string header, std::string key) {
  return Column{std::move(header),
                [key = std::move(key)](const json& item) { return field_text(item, key); }};
}

namespace {

// A value inside an object cell: lists of plain values comma-joined, deeper structure as JSON.
std::string nested_text(const json& item) {
  if (item.is_array()) {
    std::string text;
    for (const auto& element : item) {
      if (element.is_structured()) return item.dump();
      if (!text.empty()) text += ",";
      text += cell_text(element);
    }
    return text;
  }
  return item.is_object() ? item.dump() : cell_text(item);
}

}  // namespace

std::string cell_text(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_array()) {
    std::string text;
    for (const auto& item : value) {
      if (!text.empty()) text += '\n';
      text += cell_text(item);
    }
    return text;
  }
  if (value.is_object()) {
    // An allocation pool reads best the way it is typed: START-END.
    if (value.size() == 2 && value.contains("start") && value.contains("end")) {
      return cell_text(value["start"]) + "-" + cell_text(value["end"]);
    }
    std::string text;
    for (const auto& [key, item] : value.items()) {
      if (!text.empty()) text += ", ";
      text += key + "='" + nested_text(item) + "'";
    }
    return text;
  }
  return value.dump();  // numbers
}

std::string field_text(const json& object, const std::string& key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it == object.end() ? std::string() : cell_text(*it);
}

void print_list(std::ostream& out, OutputFormat format, const json& items,
                const std::vector<Column>& columns) {
  if (format == OutputFormat::kJson) {
    out << items.dump(2) << '\n';
    return;
  }
  std::vector<std::string> headers;
  for (const auto& column : columns) headers.push_back(column.header);
  Table table(std::move(headers));
  for (const auto& item : items) {
    std::vector<std::string> cells;
    for (const auto& column : columns) cells.push_back(column.cell(item));
    table.add_row(std::move(cells));
  }
  out << table.render();
}

void print_object(std::ostream& out, OutputFormat format, const json& object) {
  if (format == OutputFormat::kJson) {
    out << object.dump(2) << '\n';
    return;
  }
  Table table({"Field", "Value"});
  if (object.is_object()) {
    // nlohmann::json keeps object keys sorted, so the fields come out in name order.
    for (const auto& [key, value] : object.items()) table.add_row({key, cell_text(value)});
  }
  out << table.render();
}

}  // namespace overcast::cli
