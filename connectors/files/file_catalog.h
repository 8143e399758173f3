// Which files the config's globs name, and the collection each one is
// reported as.
//
// A collection name is the file's path relative to the root, made safe for
// the wire (common.json's name: a letter first, then letters, digits, '_'
// and '-', at most 63): every other character becomes '_'
// ("lists/newsletter.csv" → "lists_newsletter_csv"). Names that would
// collide, or be too long, end in '-' and 8 hex digits of the path's SHA-256
// instead, so each file keeps a name of its own. The real path travels in
// every record ("file"). Names are only ever looked up in the catalog, never
// turned back into paths. Pure functions apart from listing the tree.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connectors/files/files_config.h"
#include "connectors/files/source_tree.h"

namespace dsr::connectors::files {

struct CatalogEntry {
  size_t rule = 0;         // index into FilesConfig::files
  std::string relative;    // "lists/newsletter.csv"
  std::string collection;  // "lists_newsletter_csv"
};

// The files that some rule's glob matches (the first rule that matches
// wins), sorted by path. A symbolic link that a glob matches, or a linked
// folder a glob would look into, is kConflict naming the link and the rule:
// it is refused, not silently skipped.
Result<std::vector<CatalogEntry>> BuildCatalog(const SourceTree& tree, const FilesConfig& config);

// relative path → collection name, for a set of files.
std::map<std::string, std::string> CollectionNames(const std::vector<std::string>& relatives);

// Whether `name` has the form of a collection name (common.json's name).
bool IsCollectionName(std::string_view name);

}  // namespace dsr::connectors::files
