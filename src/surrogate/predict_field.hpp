// `portaformer predict` for field models: autoregressive rollouts of chosen trajectories,
// written as a Well-layout HDF5 file of predicted fields and as VTK images with predicted, true
// and error fields per frame plus a .pvd time series per trajectory for ParaView.
#pragma once

#include "surrogate/trajectory_rollout.hpp"

namespace pf {

struct PredictOptions {
  RolloutRequest request;
  bool vtk = true;
  Index vtk_every = 1;  // write every n-th predicted frame as VTK
};

int predict_field(const PredictOptions& options);

}  // namespace pf
