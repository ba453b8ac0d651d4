package presence

import "strconv"

// connID names a node's nth connection: unique in the cluster, since node
// names are. Made for every socket, so without fmt.
func connID(node string, n uint64) ConnID {
	return ConnID(node + "/" + strconv.FormatUint(n, 10))
}
