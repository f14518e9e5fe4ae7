// Preloaded (`node --require`) into the losslab-tslab kernel: tslab's kernel server binds its
// sockets before it serves them (see bind-first.cjs for why).
'use strict';

require('./bind-first.cjs').bindBeforeServing(require('tslab/dist/jupyter'), require('zeromq'));
