// `portaformer predict` for field models: autoregressive rollouts of chosen trajectories,
// written as a Well-layout HDF5 file of predicted fields and as VTK images with predicted, true
// and error fields per frame plus a .pvd time series per trajectory for ParaView.
#pragma once

#include "core/types.hpp"

#include <string>
#include <vector>

namespace pf {

struct PredictOptions {
  std::string checkpoint;      // checkpoint file or run directory
  std::string data;            // dataset; empty: the one the model was trained on
  std::string split = "test";  // used when `trajectories` is empty
  std::vector<Index> trajectories;
  Index start = 0;  // first input frame
  Index steps = 0;  // frames to predict; 0: up to the end of the data
  std::string output_dir;
  bool vtk = true;
  Index vtk_every = 1;  // write every n-th predicted frame as VTK
};

int predict_field(const PredictOptions& options);

}  // namespace pf
