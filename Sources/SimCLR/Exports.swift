// `import SimCLR` gives a lesson the whole core library.
@_exported import Augmentation
@_exported import Core
@_exported import Datasets
@_exported import Evaluation
@_exported import Imaging
@_exported import NeuralNet
@_exported import Plotting
