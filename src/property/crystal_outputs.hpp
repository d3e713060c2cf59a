// `portaformer evaluate` and `predict` for a model trained with task = "crystal".
#pragma once

#include "core/types.hpp"

#include <string>
#include <vector>

namespace pf {

struct CrystalEvaluateOptions {
  std::string checkpoint;      // checkpoint file or run directory
  std::string data;            // structure dataset; empty: the one the model was trained on
  std::string split = "test";  // train | valid | test | all, of the training deck's split
  std::string output_dir;
  std::string provenance;  // "portaformer <version>"
};

// MAE, RMSE and R² in the target's units (and the training mean's MAE for reference) on the
// split of the training data, or on every structure with the target of another dataset.
// Writes OUTPUT/metrics.json, OUTPUT/metrics.csv (one row) and OUTPUT/per_structure.csv
// (id, atoms, true, predicted, error). Returns the exit code.
int evaluate_crystal(const CrystalEvaluateOptions& options);

struct CrystalPredictOptions {
  std::string checkpoint;
  std::string data;                     // structure dataset (all its structures)
  std::vector<std::string> structures;  // or structure files / folders (CIF, POSCAR, ...)
  std::string occupancy = "error";      // reader policy for partially occupied sites
  std::string split = "test";           // without data or structures: this split of the
                                        // training data
  std::string output_dir;
  bool vtk = true;
  Index vtk_max = 100;  // structures written as VTK (the first ones)
  std::string provenance;
};

// Writes OUTPUT/predictions.csv (id, atoms, prediction, truth where known),
// OUTPUT/predictions.h5 (a structure dataset: the structures with "<target>_predicted" as a
// target and "<target>_contribution" per atom), OUTPUT/vtk/<n>_<id>.vtm/.vtp (atoms with
// species, per-atom fields of the input and the contribution; the cell; the graph's edges;
// target and prediction as field data) and OUTPUT/predict.json. Returns the exit code.
int predict_crystal(const CrystalPredictOptions& options);

}  // namespace pf
