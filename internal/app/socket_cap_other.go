//go:build !unix

package app

func socketCap(setting int) int { return setting }
