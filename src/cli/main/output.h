// How a command's result reaches the operator: a table for people (`-f table`, the
// default) or the API's own JSON for scripts (`-f json`).
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace overcast::cli {

enum class OutputFormat { kTable, kJson };

// One column of a list: its header and how to get the cell from an object.
struct Column {
  std::string header;
  std::function<std::string(const nlohmann::json& item)> cell;
};

// A column showing object[key] formatted by cell_text().
Column field_column(std::string header, std::string key);

// A JSON value as table text: strings as-is, null as "", booleans as True/False, arrays
// one item per line, objects as key='value' pairs.
std::string cell_text(const nlohmann::json& value);

// object[key] as cell text, "" when the key is missing (older controllers omit fields).
std::string field_text(const nlohmann::json& object, const std::string& key);

// A list of objects: a table with `columns`, or the JSON array.
void print_list(std::ostream& out, OutputFormat format, const nlohmann::json& items,
                const std::vector<Column>& columns);

// One object: a Field/Value table of all its fields in name order, or the JSON object.
void print_object(std::ostream& out, OutputFormat format, const nlohmann::json& object);

}  // namespace overcast::cli
