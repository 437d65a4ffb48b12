__version__ = "0.1.0"

import os as _os
# Let idle OpenMP threads sleep instead of spinning: on a shared or busy CPU, spinning threads slow torch down many times.
_os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
