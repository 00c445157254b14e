'use strict';
// autocannon's setupRequest, as a module because its worker thread loads it by path: every
// request takes the next of the scenario's paths, whichever connection sends it.
let sent = 0;
module.exports = (request) => ({ ...request, path: request.paths[sent++ % request.paths.length] });
