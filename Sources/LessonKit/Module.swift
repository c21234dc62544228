import SimCLR
