// Typed decks: precedence, every error kind (with file, key, expected and found in the message),
// and round trips through the TOML the deck writes.
#include "config/deck.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>
#include <toml.hpp>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace pf {
namespace {

DeckSchema test_schema() {
  DeckSchema s("test", "A deck for the tests.");
  s.add({"seed", OptionType::Int, "42", "Random seed."});
  s.add({"verbose", OptionType::Bool, "false", "Log more."});
  s.add({"optim.lr", OptionType::Float, "1e-3", "Learning rate."});
  s.add({"optim.name", OptionType::String, "\"adamw\"", "Optimizer.", {"adamw", "sgd"}});
  s.add({"optim.betas", OptionType::FloatList, "[0.9, 0.999]", "Adam betas."});
  s.add({"model.layers", OptionType::IntList, "[64, 64]", "Hidden widths."});
  s.add({"model.encoder.depth", OptionType::Int, "2", "Encoder depth."});
  s.add({"run.name", OptionType::String, "\"demo\"", "Run name, used in file names."});
  return s;
}

// A deck file that removes itself; unique per test so tests may run in parallel processes.
class TempDeck {
 public:
  explicit TempDeck(const std::string& text) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("pf_deck_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".toml"))
                .string();
    std::ofstream(path_) << text;
  }
  ~TempDeck() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The InputError message, or a failure if none is thrown.
std::string input_error(const std::string& file_text, const std::vector<std::string>& overrides) {
  try {
    if (file_text.empty()) {
      Deck::resolve(test_schema(), "", overrides);
    } else {
      TempDeck deck(file_text);
      Deck::resolve(test_schema(), deck.path(), overrides);
    }
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for file <<" << file_text << ">>";
  return "";
}

void expect_contains(const std::string& message, const std::vector<std::string>& parts) {
  for (const auto& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos)
        << "message lacks <<" << part << ">>: " << message;
  }
}

TEST(Deck, DefaultsWhenNoFile) {
  const Deck d = Deck::resolve(test_schema(), "", {});
  EXPECT_EQ(d.source(), "<defaults>");
  EXPECT_EQ(d.get_int("seed"), 42);
  EXPECT_FALSE(d.get_bool("verbose"));
  EXPECT_DOUBLE_EQ(d.get_float("optim.lr"), 1e-3);
  EXPECT_EQ(d.get_string("optim.name"), "adamw");
  EXPECT_EQ(d.get_float_list("optim.betas"), (std::vector<double>{0.9, 0.999}));
  EXPECT_EQ(d.get_int_list("model.layers"), (std::vector<std::int64_t>{64, 64}));
  EXPECT_EQ(d.get_int("model.encoder.depth"), 2);
}

TEST(Deck, FileValuesReplaceDefaults) {
  TempDeck file(
      "seed = 7\n"
      "[optim]\nlr = 3e-4\nname = \"sgd\"\n"
      "[model]\nlayers = [128, 32, 8]\n"
      "[model.encoder]\ndepth = 6\n");
  const Deck d = Deck::resolve(test_schema(), file.path(), {});
  EXPECT_EQ(d.source(), file.path());
  EXPECT_EQ(d.get_int("seed"), 7);
  EXPECT_DOUBLE_EQ(d.get_float("optim.lr"), 3e-4);
  EXPECT_EQ(d.get_string("optim.name"), "sgd");
  EXPECT_EQ(d.get_int_list("model.layers"), (std::vector<std::int64_t>{128, 32, 8}));
  EXPECT_EQ(d.get_int("model.encoder.depth"), 6);
  EXPECT_FALSE(d.get_bool("verbose"));  // not in the file: default
}

TEST(Deck, DottedKeysAndInlineTablesInFile) {
  TempDeck file("optim.lr = 0.5\nmodel = { encoder = { depth = 9 } }\n");
  const Deck d = Deck::resolve(test_schema(), file.path(), {});
  EXPECT_DOUBLE_EQ(d.get_float("optim.lr"), 0.5);
  EXPECT_EQ(d.get_int("model.encoder.depth"), 9);
}

TEST(Deck, OverrideBeatsFileBeatsDefault) {
  TempDeck file("seed = 7\n[optim]\nlr = 3e-4\n");
  const Deck d = Deck::resolve(test_schema(), file.path(),
                               {"optim.lr=0.01", "verbose=true", "seed = 9", "seed=11"});
  EXPECT_DOUBLE_EQ(d.get_float("optim.lr"), 0.01);  // override over file
  EXPECT_TRUE(d.get_bool("verbose"));               // override over default
  EXPECT_EQ(d.get_int("seed"), 11);                 // the last override wins
  EXPECT_EQ(d.get_string("optim.name"), "adamw");   // default
  EXPECT_EQ(d.overrides().size(), 4u);
}

TEST(Deck, IntegerAcceptedForFloat) {
  TempDeck file("[optim]\nlr = 1\nbetas = [1, 0.5]\n");
  const Deck d = Deck::resolve(test_schema(), file.path(), {});
  EXPECT_DOUBLE_EQ(d.get_float("optim.lr"), 1.0);
  EXPECT_EQ(d.get_float_list("optim.betas"), (std::vector<double>{1.0, 0.5}));
}

TEST(Deck, StringOverridesQuotedOrBare) {
  EXPECT_EQ(Deck::resolve(test_schema(), "", {"run.name=\"a b\""}).get_string("run.name"), "a b");
  EXPECT_EQ(Deck::resolve(test_schema(), "", {"run.name=abc"}).get_string("run.name"), "abc");
  // Text that happens to read as a number is still the text.
  EXPECT_EQ(Deck::resolve(test_schema(), "", {"run.name=2024"}).get_string("run.name"), "2024");
  EXPECT_EQ(Deck::resolve(test_schema(), "", {"optim.name=sgd"}).get_string("optim.name"), "sgd");
  EXPECT_EQ(Deck::resolve(test_schema(), "", {"model.layers=[1,2,3]"}).get_int_list("model.layers"),
            (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(Deck, UnknownKeyInFileSuggestsClosest) {
  const std::string msg = input_error("seed = 1\n[optim]\nlrr = 0.1\n", {});
  expect_contains(
      msg, {"pf_deck_", ".toml:3:", "unknown option \"optim.lrr\"", "did you mean \"optim.lr\""});
}

TEST(Deck, KeyInWrongTableSuggestsTheRightOne) {
  const std::string msg = input_error("lr = 0.1\n", {});
  expect_contains(msg, {"unknown option \"lr\"", "did you mean \"optim.lr\""});
}

TEST(Deck, UnknownKeyInOverride) {
  const std::string msg = input_error("", {"optim.nmae=sgd"});
  expect_contains(msg, {"override \"optim.nmae=sgd\"", "unknown option \"optim.nmae\"",
                        "did you mean \"optim.name\""});
}

TEST(Deck, WrongTypeInFile) {
  const std::string msg = input_error("[optim]\nlr = \"abc\"\n", {});
  expect_contains(
      msg, {".toml:2:", "option \"optim.lr\"", "expected a float", "found a string \"abc\""});
  expect_contains(input_error("seed = 1.5\n", {}),
                  {"option \"seed\"", "expected an integer", "found a float 1.5"});
  expect_contains(input_error("verbose = 1\n", {}),
                  {"option \"verbose\"", "expected a boolean", "found an integer 1"});
}

TEST(Deck, WrongListElementInFile) {
  const std::string msg = input_error("[model]\nlayers = [64, 3.5]\n", {});
  expect_contains(
      msg, {"option \"model.layers\"", "expected a list of integers", "element 1 is a float 3.5"});
}

TEST(Deck, WrongTypeInOverride) {
  expect_contains(input_error("", {"seed=1.5"}), {"override \"seed=1.5\"", "option \"seed\"",
                                                  "expected an integer", "found a float 1.5"});
  expect_contains(input_error("", {"optim.lr=abc"}),
                  {"override \"optim.lr=abc\"", "expected a float", "found abc"});
}

TEST(Deck, ValueNotInChoices) {
  expect_contains(input_error("[optim]\nname = \"adma\"\n", {}),
                  {".toml:2:", "option \"optim.name\"", "expected one of \"adamw\", \"sgd\"",
                   "found \"adma\"", "did you mean \"adamw\""});
  expect_contains(input_error("", {"optim.name=lbfgs"}),
                  {"option \"optim.name\"", "expected one of", "found \"lbfgs\""});
}

TEST(Deck, TableExpectedButValueFound) {
  expect_contains(input_error("optim = 3\n", {}),
                  {"[optim]", "expected a table", "found an integer 3"});
}

TEST(Deck, MalformedTomlNamesFileAndLine) {
  const std::string msg = input_error("seed = 1\n[optim\nlr = 2\n", {});
  expect_contains(msg, {"pf_deck_", "malformed TOML", "2"});
}

TEST(Deck, DuplicateKeyIsMalformed) {
  expect_contains(input_error("seed = 1\nseed = 2\n", {}), {"malformed TOML", "seed"});
}

TEST(Deck, MissingFile) {
  try {
    Deck::resolve(test_schema(), "/nonexistent/deck.toml", {});
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    expect_contains(e.what(), {"/nonexistent/deck.toml", "not found"});
  }
}

TEST(Deck, MalformedOverride) {
  expect_contains(input_error("", {"optim.lr"}), {"override \"optim.lr\"", "expected key=value"});
  expect_contains(input_error("", {"=3"}), {"expected key=value"});
  expect_contains(input_error("", {"seed="}), {"expected an integer", "found nothing"});
  // A newline must not smuggle in a second key.
  expect_contains(input_error("", {"seed=1\nverbose=true"}),
                  {"option \"seed\"", "expected an integer"});
  // Quoted text must be valid TOML even for strings.
  expect_contains(input_error("", {"run.name=\"abc"}), {"expected a string"});
}

TEST(Deck, GetterMisuseIsALogicError) {
  const Deck d = Deck::resolve(test_schema(), "", {});
  EXPECT_THROW(d.get_int("optim.lrr"), std::logic_error);
  EXPECT_THROW(d.get_int("optim.lr"), std::logic_error);
  EXPECT_THROW(d.get_float("seed"), std::logic_error);  // no silent int->float in getters
  EXPECT_THROW(d.get_float_list("model.layers"), std::logic_error);
  try {
    d.get_int("optim.lr");
  } catch (const std::logic_error& e) {
    expect_contains(e.what(), {"optim.lr", "a float", "get_float"});
  }
  EXPECT_TRUE(d.has("seed"));
  EXPECT_FALSE(d.has("optim"));
}

TEST(Deck, RoundTripThroughToToml) {
  DeckSchema schema = test_schema();
  schema.add({"extra.scale", OptionType::Float, "1.0", "A float with an integral value."});
  schema.add({"extra.tiny", OptionType::Float, "0.0", "Extremes of the double range."});
  schema.add({"extra.empty", OptionType::FloatList, "[]", "An empty list."});
  TempDeck file("[optim]\nlr = 0.1\n[run]\nname = 'quote \" back\\slash'\n");
  const Deck d = Deck::resolve(schema, file.path(),
                               {"extra.scale=2", "extra.tiny=4.9e-324", "optim.betas=[0.5, 1e300]",
                                "model.layers=[-3, 9007199254740993]", "verbose=true"});
  const std::string text = d.to_toml();
  TempDeck written(text);
  const Deck again = Deck::resolve(schema, written.path(), {});
  for (const auto& o : schema.options()) {
    switch (o.type) {
      case OptionType::Int:
        EXPECT_EQ(again.get_int(o.key), d.get_int(o.key)) << o.key;
        break;
      case OptionType::Float:
        EXPECT_EQ(again.get_float(o.key), d.get_float(o.key)) << o.key;  // bit-exact
        break;
      case OptionType::Bool:
        EXPECT_EQ(again.get_bool(o.key), d.get_bool(o.key)) << o.key;
        break;
      case OptionType::String:
        EXPECT_EQ(again.get_string(o.key), d.get_string(o.key)) << o.key;
        break;
      case OptionType::FloatList:
        EXPECT_EQ(again.get_float_list(o.key), d.get_float_list(o.key)) << o.key;
        break;
      case OptionType::IntList:
        EXPECT_EQ(again.get_int_list(o.key), d.get_int_list(o.key)) << o.key;
        break;
    }
  }
  EXPECT_EQ(again.get_string("run.name"), "quote \" back\\slash");
  EXPECT_EQ(again.get_int_list("model.layers")[1], 9007199254740993);
  EXPECT_EQ(again.get_float("extra.scale"), 2.0);
  // The written deck says where non-default values came from.
  expect_contains(text, {"# override: extra.scale=2", file.path()});
}

TEST(DeckSchema, DocumentedDefaultsParseAsTomlAndResolveToDefaults) {
  const DeckSchema schema = test_schema();
  const std::string text = schema.documented_defaults();
  std::istringstream in(text);
  EXPECT_NO_THROW(toml::parse(in, "documented_defaults")) << text;
  expect_contains(text, {"A deck for the tests.", "# Learning rate.", "[optim]", "lr = 1e-3",
                         "[model.encoder]", "# type: string; one of \"adamw\", \"sgd\""});
  // Top-level options must come before the first table header, or TOML puts them in it.
  EXPECT_LT(text.find("seed = 42"), text.find("[optim]"));
  TempDeck file(text);
  const Deck d = Deck::resolve(schema, file.path(), {});
  EXPECT_EQ(d.get_int("seed"), 42);
  EXPECT_EQ(d.get_int("model.encoder.depth"), 2);
  EXPECT_EQ(d.get_string("optim.name"), "adamw");
}

TEST(DeckSchema, ParentTableDeclaredAfterChildStillValid) {
  DeckSchema s("order", "Tables declared out of order.");
  s.add({"a.b.c", OptionType::Int, "1", "Deep."});
  s.add({"top", OptionType::Int, "2", "Top level, declared after a table."});
  s.add({"a.x", OptionType::Int, "3", "Parent table, declared after its child."});
  const std::string text = s.documented_defaults();
  TempDeck file(text);
  const Deck d = Deck::resolve(s, file.path(), {});
  EXPECT_EQ(d.get_int("a.b.c"), 1);
  EXPECT_EQ(d.get_int("top"), 2);
  EXPECT_EQ(d.get_int("a.x"), 3);
}

TEST(DeckSchema, RejectsBadDeclarations) {
  DeckSchema s("bad", "Declaration errors.");
  s.add({"a.b", OptionType::Int, "1", "Fine."});
  EXPECT_THROW(s.add({"a.b", OptionType::Int, "1", "Twice."}), std::logic_error);
  EXPECT_THROW(s.add({"a", OptionType::Int, "1", "Both table and value."}), std::logic_error);
  EXPECT_THROW(s.add({"a.b.c", OptionType::Int, "1", "Under a value."}), std::logic_error);
  EXPECT_THROW(s.add({"x", OptionType::Int, "1.5", "Default of the wrong type."}),
               std::logic_error);
  EXPECT_THROW(s.add({"x", OptionType::Float, "abc", "Default not TOML."}), std::logic_error);
  EXPECT_THROW(s.add({"x", OptionType::String, "\"c\"", "Default not a choice.", {"a", "b"}}),
               std::logic_error);
  EXPECT_THROW(s.add({"x", OptionType::Int, "1", "Choices on an int.", {"1"}}), std::logic_error);
  EXPECT_THROW(s.add({"bad key", OptionType::Int, "1", "Space."}), std::logic_error);
  EXPECT_THROW(s.add({"a..b", OptionType::Int, "1", "Empty segment."}), std::logic_error);
  EXPECT_NO_THROW(s.add({"x", OptionType::String, "\"a\"", "Fine.", {"a", "b"}}));
}

TEST(Deck, ResolvedDeckReadsBackFromItsOwnText) {
  // Outputs store the resolved deck; predict/evaluate rebuild the deck from that text.
  const Deck first = Deck::resolve(test_schema(), "", {"optim.lr=0.25", "model.layers=[4, 5]"});
  const Deck again = Deck::resolve_text(test_schema(), first.to_toml(), "checkpoint x.h5", {});
  EXPECT_DOUBLE_EQ(again.get_float("optim.lr"), 0.25);
  EXPECT_EQ(again.get_int_list("model.layers"), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(again.source(), "checkpoint x.h5");
  try {
    Deck::resolve_text(test_schema(), "optim = 3\n", "checkpoint y.h5", {});
    FAIL() << "expected an InputError";
  } catch (const pf::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("checkpoint y.h5"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pf
